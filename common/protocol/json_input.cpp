#include "json_input.h"

#include "json_syntax.h"

#include <QJsonArray>
#include <QJsonObject>

namespace sanayicin {

namespace {

// Raw marks after the first byte are inside strings (checkJsonSyntax refused
// any elsewhere): copy once, writing each as an escape. Rare.
QByteArray escapeMarks(QByteArrayView utf8)
{
    static constexpr QByteArrayView kMark("\xEF\xBB\xBF");
    QByteArray escaped;
    escaped.reserve(utf8.size() + 8);
    qsizetype from = 0;
    for (qsizetype at = utf8.indexOf(kMark, 1); at >= 0; at = utf8.indexOf(kMark, from)) {
        escaped.append(utf8.sliced(from, at - from));
        escaped.append("\\ufeff");
        from = at + kMark.size();
    }
    escaped.append(utf8.sliced(from));
    return escaped;
}

qsizetype membersIn(const QJsonValue &v);

qsizetype membersIn(const QJsonObject &o)
{
    qsizetype n = o.size();
    for (auto it = o.begin(); it != o.end(); ++it)
        if (it->isObject() || it->isArray())
            n += membersIn(*it);
    return n;
}

qsizetype membersIn(const QJsonValue &v)
{
    if (v.isObject())
        return membersIn(v.toObject());
    qsizetype n = 0;
    if (v.isArray())
        for (const QJsonValue &item : v.toArray())
            n += membersIn(item);
    return n;
}

} // namespace

std::optional<QJsonDocument> parseClientJson(QByteArrayView utf8, QString &error)
{
    const JsonSyntax syntax = checkJsonSyntax(utf8, kClientJsonMaxDepth);
    if (!syntax.ok) {
        error = syntax.problem;
        return std::nullopt;
    }
    if (syntax.scalar)
        return QJsonDocument(); // Qt 6.4 reads only objects and arrays
    QJsonParseError perr;
    // fromRawData: no copy; `utf8` outlives the call.
    const QJsonDocument doc = syntax.markInString
                                  ? QJsonDocument::fromJson(escapeMarks(utf8), &perr)
                                  : QJsonDocument::fromJson(
                                        QByteArray::fromRawData(utf8.data(), utf8.size()), &perr);
    if (perr.error != QJsonParseError::NoError) {
        // Valid JSON that Qt still refuses: a number beyond a double's range.
        error = perr.errorString();
        return std::nullopt;
    }
    // Qt keeps the last of two equal keys: fewer members than were written.
    const qsizetype members = doc.isObject() ? membersIn(doc.object())
                                             : membersIn(QJsonValue(doc.array()));
    if (members != syntax.members) {
        error = QStringLiteral("duplicate key in an object");
        return std::nullopt;
    }
    return doc;
}

} // namespace sanayicin
