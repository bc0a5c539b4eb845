#include "json_fields.h"

#include "limits.h"

#include <QJsonValue>

namespace sanayicin {

namespace {

// An integral JSON number in [0, 2^63 - 1], or nullopt. Qt keeps an integer
// literal that fits 64 bits exactly, so ids above 2^53 arrive intact; a
// whole number written as a fraction or exponent (5.0, 5e2) is accepted too.
std::optional<qint64> integral(const QJsonValue &v)
{
    if (!v.isDouble())
        return std::nullopt;
    const qint64 n = v.toInteger(-1);
    if (n < 0)
        return std::nullopt;
    return n;
}

} // namespace

bool JsonFields::fail(QString message)
{
    m_error = std::move(message);
    return false;
}

bool JsonFields::id(const char *name, qint64 &out)
{
    const QJsonValue v = m_object.value(QLatin1StringView(name));
    if (v.isUndefined() || v.isNull())
        return fail(QStringLiteral("%1 is required").arg(QLatin1StringView(name)));
    const auto n = integral(v);
    if (!n || *n <= 0)
        return fail(QStringLiteral("%1 must be a positive integer").arg(QLatin1StringView(name)));
    out = *n;
    return true;
}

bool JsonFields::optionalId(const char *name, qint64 &out, qint64 fallback)
{
    const QJsonValue v = m_object.value(QLatin1StringView(name));
    if (v.isUndefined() || v.isNull()) {
        out = fallback;
        return true;
    }
    const auto n = integral(v);
    if (!n)
        return fail(
            QStringLiteral("%1 must be a non-negative integer").arg(QLatin1StringView(name)));
    out = *n;
    return true;
}

bool JsonFields::string(const char *name, QString &out)
{
    const QJsonValue v = m_object.value(QLatin1StringView(name));
    if (v.isUndefined() || v.isNull())
        return fail(QStringLiteral("%1 is required").arg(QLatin1StringView(name)));
    if (!v.isString())
        return fail(QStringLiteral("%1 must be a string").arg(QLatin1StringView(name)));
    out = v.toString();
    return checkNoNul(name, out);
}

bool JsonFields::optionalString(const char *name, QString &out)
{
    const QJsonValue v = m_object.value(QLatin1StringView(name));
    if (v.isUndefined() || v.isNull()) {
        out.clear();
        return true;
    }
    if (!v.isString())
        return fail(QStringLiteral("%1 must be a string").arg(QLatin1StringView(name)));
    out = v.toString();
    return checkNoNul(name, out);
}

bool JsonFields::checkNoNul(const char *name, const QString &s)
{
    // PostgreSQL text cannot hold U+0000; refuse it for every backend alike.
    if (s.contains(QChar(u'\0')))
        return fail(QStringLiteral("%1 must not contain U+0000").arg(QLatin1StringView(name)));
    return true;
}

std::optional<qint64> parseNonNegative(const QString &text, bool present, qint64 fallback,
                                       qint64 max)
{
    if (!present)
        return fallback;
    bool ok = false;
    const qint64 v = text.toLongLong(&ok);
    if (!ok) {
        // Digits beyond 64 bits are still a (very large) non-negative number.
        bool digits = !text.isEmpty();
        for (QChar c : text)
            digits = digits && c.isDigit() && c.unicode() < 128;
        if (digits)
            return max;
        return std::nullopt;
    }
    if (v < 0)
        return std::nullopt;
    return std::min(v, max);
}

} // namespace sanayicin
