#pragma once

#include <cstdint>
#include <string_view>

namespace sanayicin::loadgen {

// What the generator needs from a server frame, read in one pass
// (json::ObjectReader) with views into the frame's text.
struct ServerFrame
{
    enum class Type { Unknown, Hello, Ack, Message, Error, Pong, Presence, Typing, Read, Synced,
                      MessageDeleted };
    Type type = Type::Unknown;
    std::string_view typeText;
    std::string_view clientMsgId; // ack: top level; message: message.client_msg_id
    std::string_view code;        // error
    std::string_view ref;         // error
    int64_t retryAfterMs = -1;    // error rate_limited
    // message / ack: the Message object's fields
    int64_t id = 0;
    int64_t conversationId = 0;
    int64_t seq = 0;
    int64_t senderId = 0;
    // hello
    int64_t userId = 0;
    int64_t heartbeatS = 0;
    int64_t lastMessageId = 0;
    // synced
    int64_t lastId = 0;
    bool hasMore = false;
    // pong
    int64_t ts = 0;
    bool hasTs = false;
};

// False when the text is not a JSON object with a string "type".
bool parseServerFrame(std::string_view text, ServerFrame &out);

} // namespace sanayicin::loadgen
