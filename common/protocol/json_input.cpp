#include "json_input.h"

namespace sanayicin {

QJsonDocument parseClientJson(QByteArrayView utf8, QJsonParseError *error)
{
    static constexpr QByteArrayView kMark("\xEF\xBB\xBF");
    qsizetype at = utf8.indexOf(kMark, 1);
    if (at < 0)
        return QJsonDocument::fromJson(utf8.toByteArray(), error);
    // Rare: copy once, escaping each mark outside the first byte. Outside a
    // string the escape is a syntax error, as the raw mark was.
    QByteArray escaped;
    escaped.reserve(utf8.size() + 8);
    qsizetype from = 0;
    while (at >= 0) {
        escaped.append(utf8.sliced(from, at - from));
        escaped.append("\\ufeff");
        from = at + kMark.size();
        at = utf8.indexOf(kMark, from);
    }
    escaped.append(utf8.sliced(from));
    return QJsonDocument::fromJson(escaped, error);
}

} // namespace sanayicin
