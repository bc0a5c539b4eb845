#include "pg_arrays.h"

#include <QStringEncoder>
#include <charconv>

namespace sanayicin {

// Both literals are built for every group commit (four arrays of up to a
// thousand values), so they avoid an allocation per value.
QByteArray pgIntArray(const std::vector<qint64> &values)
{
    QByteArray out;
    out.reserve(qsizetype(values.size()) * 21 + 2);
    out += '{';
    char digits[24];
    for (size_t i = 0; i < values.size(); ++i) {
        if (i)
            out += ',';
        const auto end = std::to_chars(digits, digits + sizeof digits, values[i]).ptr;
        out.append(digits, end - digits);
    }
    out += '}';
    return out;
}

QByteArray pgTextArray(const QList<QString> &values)
{
    static constexpr char kReplacement[] = "\xEF\xBF\xBD"; // U+FFFD
    qsizetype estimate = 2;
    for (const QString &v : values)
        estimate += v.size() + 3; // exact for ASCII without quotes
    QByteArray out;
    out.reserve(estimate);
    out += '{';
    // Stateless: a lone high surrogate at the end of one value is replaced
    // there, not carried into the next value (which a stateful encoder does).
    QStringEncoder toUtf8(QStringEncoder::Utf8, QStringEncoder::Flag::Stateless);
    QByteArray utf8; // reused: grows to the longest value once
    bool first = true;
    for (const QString &v : values) {
        if (!first)
            out += ',';
        first = false;
        utf8.resize(toUtf8.requiredSpace(v.size()));
        utf8.truncate(toUtf8.appendToBuffer(utf8.data(), v) - utf8.constData());
        out += '"';
        const char *from = utf8.constData();
        const char *const end = from + utf8.size();
        while (from < end) { // runs between the bytes that need care
            const char *to = from;
            while (to < end && *to != '"' && *to != '\\' && *to != '\0')
                ++to;
            out.append(from, to - from);
            if (to < end) {
                if (*to == '\0') {
                    out.append(kReplacement, 3);
                } else {
                    out += '\\';
                    out += *to;
                }
                ++to;
            }
            from = to;
        }
        out += '"';
    }
    out += '}';
    return out;
}

} // namespace sanayicin
