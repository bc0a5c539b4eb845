#include "router.h"

namespace sanayicin {

namespace {

bool isId(QStringView s)
{
    if (s.isEmpty() || s.size() > 18 || s[0] == u'0')
        return false;
    for (QChar c : s)
        if (c < u'0' || c > u'9')
            return false;
    return true;
}

// A file name: letters, digits, '.', '_' and '-', not starting with a dot.
bool isName(QStringView s)
{
    if (s.isEmpty() || s.size() > 100 || s[0] == u'.')
        return false;
    for (QChar c : s) {
        const char16_t u = c.unicode();
        const bool ok = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9')
                        || u == '.' || u == '_' || u == '-';
        if (!ok)
            return false;
    }
    return true;
}

} // namespace

void Router::add(HttpMethod method, const char *pattern, Access access,
                 std::function<void(const CallPtr &)> handler)
{
    Route r{method, QByteArray(pattern), access, std::move(handler), {}};
    r.segments = r.pattern.split('/');
    m_routes.push_back(std::move(r));
}

const Route *Router::match(HttpMethod method, const QString &path, QStringList &params) const
{
    const QList<QStringView> segments = QStringView(path).split(u'/');
    for (const Route &r : m_routes) {
        if (r.method != method || r.segments.size() != segments.size())
            continue;
        QStringList captured;
        bool ok = true;
        for (qsizetype i = 0; i < segments.size() && ok; ++i) {
            const QByteArray &want = r.segments[i];
            if (want == "{id}" || want == "{name}") {
                ok = want == "{id}" ? isId(segments[i]) : isName(segments[i]);
                if (ok)
                    captured << segments[i].toString();
            } else {
                ok = segments[i] == QLatin1StringView(want);
            }
        }
        if (ok) {
            params = captured;
            return &r;
        }
    }
    return nullptr;
}

} // namespace sanayicin
