#include "http_bodies.h"

#include "client_frames.h"
#include "json_fields.h"
#include "json_input.h"
#include "limits.h"
#include "text/text_rules.h"

#include <QJsonDocument>

namespace sanayicin {

namespace {

bool isJsonContentType(const QByteArray &contentType)
{
    // "application/json" with optional parameters such as "; charset=utf-8".
    const QByteArray mime = contentType.split(';').first().trimmed().toLower();
    return mime == "application/json";
}

bool checkLength(const QString &value, const char *name, int min, int max, QString &error)
{
    if (hasLengthBetween(value, min, max))
        return true;
    error = min > 0 ? QStringLiteral("%1 must have %2 to %3 characters")
                          .arg(QLatin1StringView(name))
                          .arg(min)
                          .arg(max)
                    : QStringLiteral("%1 must have at most %2 characters")
                          .arg(QLatin1StringView(name))
                          .arg(max);
    return false;
}

bool checkNotBlank(const QString &value, const char *name, QString &error)
{
    if (!isBlank(value))
        return true;
    error = QStringLiteral("%1 must not be empty").arg(QLatin1StringView(name));
    return false;
}

} // namespace

std::optional<QJsonObject> decodeJsonObject(const QByteArray &contentType, const QByteArray &body,
                                            QString &error)
{
    if (!isJsonContentType(contentType)) {
        error = QStringLiteral("the body must be JSON (Content-Type: application/json)");
        return std::nullopt;
    }
    QString jsonError;
    const std::optional<QJsonDocument> doc = parseClientJson(body, jsonError);
    if (!doc) {
        error = QStringLiteral("the body is not valid JSON: ") + jsonError;
        return std::nullopt;
    }
    if (!doc->isObject()) {
        error = QStringLiteral("the body must be a JSON object");
        return std::nullopt;
    }
    return doc->object();
}

std::optional<RegisterRequest> parseRegister(const QJsonObject &o, QString &error)
{
    JsonFields f(o);
    RegisterRequest r;
    QString role;
    if (!f.string("username", r.username) || !f.string("password", r.password)
        || !f.string("display_name", r.displayName) || !f.string("role", role)) {
        error = f.error();
        return std::nullopt;
    }
    if (!isValidUsername(r.username)) {
        error = QStringLiteral("username must have 3 to 32 characters of a-z, 0-9, _ and .");
        return std::nullopt;
    }
    if (!checkLength(r.password, "password", protocol::kPasswordMin, protocol::kPasswordMax, error)
        || !checkLength(r.displayName, "display_name", 1, protocol::kDisplayNameMax, error))
        return std::nullopt;
    const auto parsedRole = roleFromName(role);
    if (!parsedRole || *parsedRole == Role::Admin) {
        error = QStringLiteral("role must be \"customer\" or \"tradesman\"");
        return std::nullopt;
    }
    r.role = *parsedRole;
    return r;
}

std::optional<LoginRequest> parseLogin(const QJsonObject &o, QString &error)
{
    JsonFields f(o);
    LoginRequest r;
    if (!f.string("username", r.username) || !f.string("password", r.password)) {
        error = f.error();
        return std::nullopt;
    }
    return r;
}

std::optional<ProfileRequest> parseProfile(const QJsonObject &o, QString &error)
{
    JsonFields f(o);
    ProfileRequest p;
    if (!f.string("business_name", p.businessName) || !f.string("category", p.category)
        || !f.string("city", p.city) || !f.optionalString("district", p.district)
        || !f.optionalString("description", p.description)) {
        error = f.error();
        return std::nullopt;
    }
    if (!checkLength(p.businessName, "business_name", 1, protocol::kBusinessNameMax, error)
        || !checkNotBlank(p.businessName, "business_name", error)
        || !checkLength(p.category, "category", 1, protocol::kCategoryMax, error)
        || !checkNotBlank(p.category, "category", error)
        || !checkLength(p.city, "city", 1, protocol::kCityMax, error)
        || !checkNotBlank(p.city, "city", error)
        || !checkLength(p.district, "district", 0, protocol::kDistrictMax, error)
        || !checkLength(p.description, "description", 0, protocol::kDescriptionMax, error))
        return std::nullopt;
    return p;
}

std::optional<PostMessageRequest> parsePostMessage(const QJsonObject &o, QString &error)
{
    JsonFields f(o);
    PostMessageRequest m;
    if (!f.string("body", m.body) || !f.string("client_msg_id", m.clientMsgId)) {
        error = f.error();
        return std::nullopt;
    }
    if (QString why = checkClientMsgId(m.clientMsgId); !why.isEmpty()) {
        error = why;
        return std::nullopt;
    }
    if (QString why = checkMessageBody(m.body); !why.isEmpty()) {
        error = why;
        return std::nullopt;
    }
    return m;
}

std::optional<qint64> parseIdField(const QJsonObject &o, const char *name, QString &error)
{
    JsonFields f(o);
    qint64 id = 0;
    if (!f.id(name, id)) {
        error = f.error();
        return std::nullopt;
    }
    return id;
}

std::optional<QString> parseReason(const QJsonObject &o, bool required, QString &error)
{
    JsonFields f(o);
    QString reason;
    const bool ok = required ? f.string("reason", reason) : f.optionalString("reason", reason);
    if (!ok) {
        error = f.error();
        return std::nullopt;
    }
    if (!checkLength(reason, "reason", required ? 1 : 0, protocol::kReasonMax, error))
        return std::nullopt;
    if (required && !checkNotBlank(reason, "reason", error))
        return std::nullopt;
    return reason;
}

std::optional<ResolveRequest> parseResolve(const QJsonObject &o, QString &error)
{
    JsonFields f(o);
    ResolveRequest r;
    if (!f.string("action", r.resolution) || !f.optionalString("note", r.note)) {
        error = f.error();
        return std::nullopt;
    }
    if (r.resolution != u"dismissed" && r.resolution != u"actioned") {
        error = QStringLiteral("action must be \"dismissed\" or \"actioned\"");
        return std::nullopt;
    }
    if (!checkLength(r.note, "note", 0, protocol::kReasonMax, error))
        return std::nullopt;
    return r;
}

} // namespace sanayicin
