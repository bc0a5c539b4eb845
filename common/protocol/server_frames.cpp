#include "server_frames.h"

#include "json/json_writer.h"

namespace sanayicin::frames {

QByteArray hello(const QByteArray &userJson, const QString &instance, int heartbeatSeconds,
                 qint64 lastMessageId)
{
    QByteArray out;
    JsonWriter w(out);
    w.beginObject().key("type").utf8("hello");
    w.key("user").raw(userJson);
    w.field("instance", instance);
    w.field("heartbeat_s", heartbeatSeconds);
    w.field("last_message_id", lastMessageId);
    w.endObject();
    return out;
}

QByteArray welcome(qint64 seq, const QString &stream, const QByteArray &userJson,
                   const QString &instance, int heartbeatSeconds, bool resumed)
{
    QByteArray out;
    JsonWriter w(out);
    w.beginObject().key("type").utf8("welcome").field("seq", seq).field("stream", stream);
    w.key("user").raw(userJson);
    w.field("instance", instance).field("heartbeat_s", heartbeatSeconds);
    w.field("resumed", resumed).endObject();
    return out;
}

QByteArray error(ErrorCode code, const QString &message, const QString *ref, qint64 retryAfterMs)
{
    QByteArray out;
    JsonWriter w(out);
    w.beginObject().key("type").utf8("error");
    w.key("code").utf8(errorCodeName(code));
    w.field("message", message);
    if (ref)
        w.field("ref", *ref);
    if (code == ErrorCode::RateLimited)
        w.field("retry_after_ms", retryAfterMs);
    w.endObject();
    return out;
}

QByteArray typing(qint64 conversationId, qint64 userId)
{
    QByteArray out;
    JsonWriter w(out);
    w.beginObject().key("type").utf8("typing");
    w.field("conversation_id", conversationId).field("user_id", userId).endObject();
    return out;
}

QByteArray read(qint64 conversationId, qint64 userId, qint64 messageId)
{
    QByteArray out;
    JsonWriter w(out);
    w.beginObject().key("type").utf8("read");
    w.field("conversation_id", conversationId).field("user_id", userId);
    w.field("message_id", messageId).endObject();
    return out;
}

QByteArray synced(qint64 lastId, bool hasMore)
{
    QByteArray out;
    JsonWriter w(out);
    w.beginObject().key("type").utf8("synced");
    w.field("last_id", lastId).field("has_more", hasMore).endObject();
    return out;
}

QByteArray pong(const QByteArray *tsJson)
{
    QByteArray out;
    JsonWriter w(out);
    w.beginObject().key("type").utf8("pong");
    if (tsJson)
        w.key("ts").raw(*tsJson);
    w.endObject();
    return out;
}

bool namesAMessage(QByteArrayView frame)
{
    return frame.startsWith(R"({"type":"read",)") || frame.startsWith(R"({"type":"message_deleted",)");
}

bool isTyping(QByteArrayView frame)
{
    return frame.startsWith(R"({"type":"typing",)");
}

QByteArray messageDeleted(qint64 conversationId, qint64 messageId)
{
    QByteArray out;
    JsonWriter w(out);
    w.beginObject().key("type").utf8("message_deleted");
    w.field("conversation_id", conversationId).field("message_id", messageId).endObject();
    return out;
}

QByteArray presence(qint64 userId, bool online)
{
    return "{\"type\":\"presence\",\"user_id\":" + QByteArray::number(userId)
           + ",\"online\":" + (online ? "true" : "false") + '}';
}

QByteArray message(const QByteArray &messageJson)
{
    QByteArray out;
    out.reserve(messageJson.size() + 30);
    out += "{\"type\":\"message\",\"message\":";
    out += messageJson;
    out += '}';
    return out;
}

QByteArray ack(const QString &clientMsgId, const QByteArray &messageJson)
{
    QByteArray out;
    out.reserve(messageJson.size() + clientMsgId.size() + 48);
    out += "{\"type\":\"ack\",\"client_msg_id\":";
    appendJsonString(out, clientMsgId);
    out += ",\"message\":";
    out += messageJson;
    out += '}';
    return out;
}

} // namespace sanayicin::frames
