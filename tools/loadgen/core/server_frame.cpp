#include "server_frame.h"

#include "json_reader.h"

namespace sanayicin::loadgen {

namespace {

ServerFrame::Type typeOf(std::string_view t)
{
    using T = ServerFrame::Type;
    // Most frequent first: at load nearly every frame is one of these two.
    if (t == "message")
        return T::Message;
    if (t == "ack")
        return T::Ack;
    if (t == "pong")
        return T::Pong;
    if (t == "error")
        return T::Error;
    if (t == "hello")
        return T::Hello;
    if (t == "presence")
        return T::Presence;
    if (t == "typing")
        return T::Typing;
    if (t == "read")
        return T::Read;
    if (t == "synced")
        return T::Synced;
    if (t == "message_deleted")
        return T::MessageDeleted;
    return T::Unknown;
}

void readMessage(std::string_view text, ServerFrame &out)
{
    json::ObjectReader r(text);
    std::string_view key;
    json::Value v;
    while (r.next(key, v)) {
        if (key == "id")
            v.toInt(out.id);
        else if (key == "conversation_id")
            v.toInt(out.conversationId);
        else if (key == "seq")
            v.toInt(out.seq);
        else if (key == "sender_id")
            v.toInt(out.senderId);
        else if (key == "client_msg_id" && v.kind == json::Value::Kind::String)
            out.clientMsgId = v.raw;
    }
}

void readUser(std::string_view text, ServerFrame &out)
{
    json::ObjectReader r(text);
    std::string_view key;
    json::Value v;
    while (r.next(key, v))
        if (key == "id")
            v.toInt(out.userId);
}

} // namespace

bool parseServerFrame(std::string_view text, ServerFrame &out)
{
    out = ServerFrame{};
    json::ObjectReader r(text);
    std::string_view key;
    json::Value v;
    std::string_view message, topClientMsgId;
    while (r.next(key, v)) {
        if (key == "type" && v.kind == json::Value::Kind::String)
            out.typeText = v.raw;
        else if (key == "message" && v.kind == json::Value::Kind::Object)
            message = v.raw;
        else if (key == "client_msg_id" && v.kind == json::Value::Kind::String)
            topClientMsgId = v.raw;
        else if (key == "code" && v.kind == json::Value::Kind::String)
            out.code = v.raw;
        else if (key == "ref" && v.kind == json::Value::Kind::String)
            out.ref = v.raw;
        else if (key == "retry_after_ms")
            v.toInt(out.retryAfterMs);
        else if (key == "user" && v.kind == json::Value::Kind::Object)
            readUser(v.raw, out);
        else if (key == "user_id")
            v.toInt(out.userId);
        else if (key == "heartbeat_s")
            v.toInt(out.heartbeatS);
        else if (key == "last_message_id")
            v.toInt(out.lastMessageId);
        else if (key == "conversation_id")
            v.toInt(out.conversationId);
        else if (key == "message_id")
            v.toInt(out.id);
        else if (key == "ts")
            out.hasTs = v.toInt(out.ts);
        else if (key == "last_id")
            v.toInt(out.lastId);
        else if (key == "has_more")
            out.hasMore = v.kind == json::Value::Kind::True;
    }
    if (r.failed() || out.typeText.empty())
        return false;
    out.type = typeOf(out.typeText);
    if (!message.empty())
        readMessage(message, out);
    if (!topClientMsgId.empty())
        out.clientMsgId = topClientMsgId; // the ack's own field wins
    return true;
}

} // namespace sanayicin::loadgen
