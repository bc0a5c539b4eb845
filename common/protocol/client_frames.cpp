#include "client_frames.h"

#include "json_fields.h"
#include "json_input.h"
#include "limits.h"
#include "text/text_rules.h"

#include <QJsonDocument>
#include <QJsonArray>
#include <QJsonObject>

namespace sanayicin {

QString checkClientMsgId(const QString &id)
{
    if (!hasLengthBetween(id, 1, protocol::kClientMsgIdMax))
        return QStringLiteral("client_msg_id must have 1 to 64 characters");
    return {};
}

QString checkMessageBody(const QString &body)
{
    if (!hasLengthBetween(body, 1, protocol::kBodyMax))
        return QStringLiteral("body must have 1 to 4000 characters");
    if (isBlank(body))
        return QStringLiteral("body must not be only white space");
    return {};
}

namespace {

FrameError refuse(QString message, const QJsonObject *object = nullptr)
{
    FrameError e{std::move(message), {}, false};
    if (object) {
        const QJsonValue ref = object->value(QLatin1StringView("client_msg_id"));
        if (ref.isString()) {
            e.ref = ref.toString();
            e.hasRef = true;
        }
    }
    return e;
}

ClientFrame parseSend(const QJsonObject &o)
{
    JsonFields f(o);
    SendFrame s;
    if (!f.id("conversation_id", s.conversationId) || !f.string("client_msg_id", s.clientMsgId)
        || !f.string("body", s.body))
        return refuse(f.error(), &o);
    if (QString why = checkClientMsgId(s.clientMsgId); !why.isEmpty())
        return refuse(why, &o);
    if (QString why = checkMessageBody(s.body); !why.isEmpty())
        return refuse(why, &o);
    return s;
}

ClientFrame parseSync(const QJsonObject &o)
{
    JsonFields f(o);
    SyncFrame s;
    qint64 limit = 0;
    if (!f.optionalId("after_id", s.afterId, 0))
        return refuse(f.error(), &o);
    // A limit above the maximum is clamped, not refused (spec "Conventions"),
    // however large: 1e20 is a number above the maximum too.
    const QJsonValue limitValue = o.value(QLatin1StringView("limit"));
    if (limitValue.isDouble() && limitValue.toDouble() > protocol::kSyncLimitMax)
        limit = protocol::kSyncLimitMax;
    else if (!f.optionalId("limit", limit, protocol::kSyncLimitDefault))
        return refuse(f.error(), &o);
    s.limit = int(std::min<qint64>(limit, protocol::kSyncLimitMax));
    return s;
}

} // namespace

std::variant<FrameError, TypedFrameObject> parseFrameObject(QByteArrayView utf8)
{
    QString jsonError;
    const std::optional<QJsonDocument> doc = parseClientJson(utf8, jsonError);
    if (!doc)
        return refuse(QStringLiteral("frame is not valid JSON: ") + jsonError);
    if (!doc->isObject())
        return refuse(QStringLiteral("frame must be a JSON object"));
    TypedFrameObject t{doc->object(), {}};
    const QJsonValue typeValue = t.object.value(QLatin1StringView("type"));
    if (!typeValue.isString())
        return refuse(QStringLiteral("frame needs a string \"type\""), &t.object);
    t.type = typeValue.toString();
    return t;
}

std::variant<FrameError, AuthFrame> parseAuthFrame(const QJsonObject &o)
{
    JsonFields f(o);
    AuthFrame a;
    if (!f.string("token", a.token))
        return refuse(f.error(), &o);
    return a;
}

PingFrame parsePingFrame(const QJsonObject &o)
{
    PingFrame p;
    const QJsonValue ts = o.value(QLatin1StringView("ts"));
    if (!ts.isUndefined()) {
        p.hasTs = true;
        // Wrap in an array so that scalars serialise too, then unwrap.
        QByteArray wrapped = QJsonDocument(QJsonArray{ts}).toJson(QJsonDocument::Compact);
        p.tsJson = wrapped.mid(1, wrapped.size() - 2);
    }
    return p;
}

ClientFrame parseClientFrame(QByteArrayView utf8)
{
    auto typed = parseFrameObject(utf8);
    if (auto *error = std::get_if<FrameError>(&typed))
        return std::move(*error);
    const QJsonObject &o = std::get<TypedFrameObject>(typed).object;
    const QString &type = std::get<TypedFrameObject>(typed).type;

    if (type == u"send")
        return parseSend(o);
    if (type == u"typing") {
        JsonFields f(o);
        TypingFrame t;
        if (!f.id("conversation_id", t.conversationId))
            return refuse(f.error(), &o);
        return t;
    }
    if (type == u"read") {
        JsonFields f(o);
        ReadFrame r;
        if (!f.id("conversation_id", r.conversationId) || !f.id("message_id", r.messageId))
            return refuse(f.error(), &o);
        return r;
    }
    if (type == u"sync")
        return parseSync(o);
    if (type == u"ping")
        return parsePingFrame(o);
    if (type == u"auth") {
        auto auth = parseAuthFrame(o);
        if (auto *error = std::get_if<FrameError>(&auth))
            return std::move(*error);
        return std::get<AuthFrame>(std::move(auth));
    }
    return refuse(QStringLiteral("unknown frame type"), &o);
}

} // namespace sanayicin
