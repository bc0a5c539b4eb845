#include "router.h"

#include <limits>

namespace sanayicin {

namespace {

bool isDigits(QStringView s)
{
    if (s.isEmpty())
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

// An instance id (any non-empty text up to 256 characters): instances are
// named by their operators (host:port by default).
bool isInstance(QStringView s)
{
    return !s.isEmpty() && s.size() <= 256;
}

// Placeholders that take a name ({queue}: a job queue, {entry}: one of its
// dead letters, as server/jobs names them; they check the rest).
bool isNamePlaceholder(const QByteArray &want)
{
    return want == "{name}" || want == "{queue}" || want == "{entry}";
}

} // namespace

qint64 pathId(QStringView s)
{
    if (!isDigits(s) || s[0] == u'0' || s.size() > 19)
        return 0;
    constexpr quint64 kMax = quint64(std::numeric_limits<qint64>::max());
    quint64 v = 0;
    for (QChar c : s) {
        const quint64 digit = quint64(c.unicode() - u'0');
        if (v > (kMax - digit) / 10)
            return 0;
        v = v * 10 + digit;
    }
    return qint64(v);
}

bool Route::idsExist(const QStringList &params) const
{
    for (int i : idCaptures)
        if (pathId(params.value(i)) == 0)
            return false;
    return true;
}

void Router::add(HttpMethod method, const char *pattern, Access access,
                 std::function<void(const CallPtr &)> handler)
{
    Route r{method, QByteArray(pattern), access, std::move(handler), {}, {}};
    r.segments = r.pattern.split('/');
    int captures = 0;
    for (const QByteArray &s : r.segments) {
        if (s == "{id}")
            r.idCaptures << captures++;
        else if (isNamePlaceholder(s) || s == "{instance}")
            ++captures;
    }
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
            if (want == "{id}" || isNamePlaceholder(want) || want == "{instance}") {
                ok = want == "{id}"               ? isDigits(segments[i])
                     : isNamePlaceholder(want)    ? isName(segments[i])
                                                  : isInstance(segments[i]);
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
