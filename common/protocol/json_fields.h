#pragma once

#include <QJsonObject>
#include <QString>
#include <optional>

namespace sanayicin {

// Reads typed fields from a parsed JSON object. Each reader returns false and
// sets `error` (a sentence for a person) when the field is missing when
// required, or has the wrong type or range.
class JsonFields
{
public:
    explicit JsonFields(const QJsonObject &object) : m_object(object) {}

    bool id(const char *name, qint64 &out);                         // required, > 0
    bool optionalId(const char *name, qint64 &out, qint64 fallback); // >= 0 when present
    bool string(const char *name, QString &out);                    // required
    bool optionalString(const char *name, QString &out);            // absent or null: empty

    const QString &error() const { return m_error; }

private:
    bool fail(QString message);
    bool checkNoNul(const char *name, const QString &s);

    const QJsonObject &m_object;
    QString m_error;
};

// Parses a limit/offset-like query value: absent gives `fallback`, values
// above `max` are clamped, negative or non-numeric ones are refused.
std::optional<qint64> parseNonNegative(const QString &text, bool present, qint64 fallback,
                                       qint64 max);

} // namespace sanayicin
