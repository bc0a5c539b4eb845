#include "query_string.h"

#include "text/ascii.h"
#include "text/utf8.h"

#include <QByteArray>

namespace sanayicin {

std::optional<QString> QueryString::decode(QByteArrayView component)
{
    QByteArray bytes;
    bytes.reserve(component.size());
    for (qsizetype i = 0; i < component.size(); ++i) {
        const char c = component[i];
        if (c == '+') {
            bytes.append(' ');
        } else if (c == '%') {
            const int hi = i + 2 < component.size() ? hexDigitValue(component[i + 1]) : -1;
            const int lo = hi >= 0 ? hexDigitValue(component[i + 2]) : -1;
            if (lo < 0)
                return std::nullopt;
            bytes.append(char(hi << 4 | lo));
            i += 2;
        } else {
            bytes.append(c);
        }
    }
    // U+0000 is refused in every text the API takes (docs/protocol.md).
    if (bytes.contains('\0') || !isValidUtf8(bytes))
        return std::nullopt;
    return QString::fromUtf8(bytes);
}

std::optional<QueryString> QueryString::parse(QByteArrayView encoded)
{
    QueryString out;
    qsizetype start = 0;
    while (start <= encoded.size()) {
        qsizetype end = encoded.indexOf('&', start);
        if (end < 0)
            end = encoded.size();
        const QByteArrayView pair = encoded.sliced(start, end - start);
        if (!pair.isEmpty()) {
            const qsizetype eq = pair.indexOf('=');
            const auto name = decode(eq < 0 ? pair : pair.first(eq));
            const auto value = eq < 0 ? std::optional<QString>(QString()) : decode(pair.sliced(eq + 1));
            if (!name || !value)
                return std::nullopt;
            out.m_items.push_back({*name, *value});
        }
        start = end + 1;
    }
    return out;
}

bool QueryString::contains(QLatin1StringView name) const
{
    for (const auto &[n, v] : m_items)
        if (n == name)
            return true;
    return false;
}

QString QueryString::value(QLatin1StringView name) const
{
    for (const auto &[n, v] : m_items)
        if (n == name)
            return v;
    return {};
}

} // namespace sanayicin
