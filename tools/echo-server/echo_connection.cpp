#include "echo_connection.h"

#include "echo_server.h"
#include "json_reader.h"
#include "ws_handshake.h"

#include <cerrno>
#include <memory>
#include <sys/socket.h>
#include <unistd.h>

namespace sanayicin::echo {

using loadgen::ws::Opcode;

namespace {
constexpr std::string_view kCreatedAt = "1970-01-01T00:00:00.000Z"; // nothing is stored

void appendInt(std::string &s, int64_t v)
{
    s += std::to_string(v);
}
} // namespace

EchoConnection::EchoConnection(EchoThread &thread, int fd, uint64_t id)
    : m_thread(thread), m_fd(fd), m_id(id)
{}

EchoConnection::~EchoConnection()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

void EchoConnection::markDirty()
{
    if (!m_dirty) {
        m_dirty = true;
        m_thread.markDirty(this);
    }
}

void EchoConnection::sendText(std::string_view payload)
{
    if (m_state == State::Closed)
        return;
    loadgen::ws::appendFrame(m_out, Opcode::Text, payload, false, 0);
    markDirty();
}

void EchoConnection::queueEncoded(const std::string &frame)
{
    if (m_state != State::Open)
        return;
    m_out.append(frame);
    markDirty();
}

void EchoConnection::sendError(std::string_view code, std::string_view message, std::string_view ref)
{
    m_text.assign("{\"type\":\"error\",\"code\":\"").append(code).append("\",\"message\":\"");
    m_text.append(message).append("\"");
    if (!ref.empty())
        m_text.append(",\"ref\":\"").append(ref).append("\"");
    m_text.append("}");
    sendText(m_text);
}

void EchoConnection::closeWith(uint16_t code)
{
    if (m_state == State::Closed)
        return;
    loadgen::ws::appendFrame(m_out, Opcode::Close, loadgen::ws::closePayload(code), false, 0);
    m_closeAfterFlush = true;
    markDirty();
}

void EchoConnection::shutdown()
{
    if (m_state == State::Closed)
        return;
    if (m_user > 0 && m_state == State::Open)
        m_thread.server().registry().remove(m_user, m_id);
    m_state = State::Closed;
    m_thread.loop().remove(m_fd);
    ::close(m_fd);
    m_fd = -1;
    m_thread.retire(this);
}

void EchoConnection::flush()
{
    m_dirty = false;
    if (m_state == State::Closed)
        return;
    while (m_outOffset < m_out.size()) {
        const ssize_t n =
            ::send(m_fd, m_out.data() + m_outOffset, m_out.size() - m_outOffset, MSG_NOSIGNAL);
        if (n > 0) {
            m_outOffset += size_t(n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        shutdown();
        return;
    }
    m_out.clear();
    m_outOffset = 0;
    if (m_out.capacity() > 256 * 1024)
        std::string().swap(m_out);
    if (m_closeAfterFlush)
        shutdown();
}

void EchoConnection::onEvents(uint32_t events)
{
    if (m_state == State::Closed)
        return;
    if (events & EPOLLOUT)
        flush();
    if (m_state == State::Closed || !(events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)))
        return;
    size_t cap = 0;
    char *buf = m_thread.readBuffer(cap);
    for (;;) {
        const ssize_t n = ::recv(m_fd, buf, cap, 0);
        if (n > 0) {
            const bool ok = m_state == State::Handshake ? onHandshake(buf, size_t(n))
                                                        : onFrames(buf, size_t(n));
            if (!ok || m_state == State::Closed || size_t(n) < cap)
                return;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        shutdown();
        return;
    }
}

bool EchoConnection::onHandshake(char *data, size_t len)
{
    m_handshake.append(data, len);
    loadgen::ws::UpgradeRequest req;
    size_t headerLength = 0;
    const auto st = loadgen::ws::parseClientRequest(m_handshake, req, headerLength);
    if (st == loadgen::ws::HandshakeStatus::NeedMore)
        return true;
    if (st == loadgen::ws::HandshakeStatus::Error || req.path.substr(0, 3) != "/ws") {
        m_out.append("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        m_closeAfterFlush = true;
        markDirty();
        return false;
    }
    m_out.append(loadgen::ws::serverResponse(req.key));
    const std::string_view auth = req.authorization;
    std::string token;
    if (auth.substr(0, 7) == "Bearer ")
        token = std::string(auth.substr(7));
    std::string rest = m_handshake.substr(headerLength);
    std::string().swap(m_handshake);
    m_state = State::AwaitAuth;
    markDirty();
    if (!token.empty())
        authenticate(token);
    return rest.empty() || onFrames(rest.data(), rest.size());
}

void EchoConnection::authenticate(std::string_view token)
{
    int64_t user = 0;
    if (!loadgen::json::parseInt(token, user) || user <= 0) {
        sendError("unauthorized", "the echo server's token is the user id");
        closeWith(4001);
        return;
    }
    m_user = user;
    m_state = State::Open;
    m_thread.server().registry().add(user, {m_thread.index(), m_id});
    m_text.assign("{\"type\":\"hello\",\"user\":{\"id\":");
    appendInt(m_text, user);
    m_text.append(",\"username\":\"user").append(std::to_string(user));
    m_text.append("\",\"display_name\":\"User\",\"role\":\"customer\",\"created_at\":\"");
    m_text.append(kCreatedAt).append("\"},\"instance\":\"echo\",\"heartbeat_s\":");
    appendInt(m_text, m_thread.server().settings().heartbeatS);
    m_text.append(",\"last_message_id\":0}");
    sendText(m_text);
}

bool EchoConnection::onFrames(char *data, size_t len)
{
    const bool ok = m_reader.consume(data, len, [this](Opcode op, std::string_view payload) {
        switch (op) {
        case Opcode::Text:
            onText(payload);
            break;
        case Opcode::Ping:
            loadgen::ws::appendFrame(m_out, Opcode::Pong, payload, false, 0);
            markDirty();
            break;
        case Opcode::Close:
            closeWith(loadgen::ws::closeCodeOf(payload) == 1005 ? 1000
                                                                 : loadgen::ws::closeCodeOf(payload));
            return false;
        case Opcode::Binary:
            closeWith(1003);
            return false;
        default:
            break;
        }
        return m_state != State::Closed;
    });
    if (!ok)
        closeWith(m_reader.closeCode() ? m_reader.closeCode() : 1002);
    return ok && m_state != State::Closed;
}

void EchoConnection::onText(std::string_view text)
{
    loadgen::json::ObjectReader r(text);
    std::string_view key, type, token, clientMsgId, body, ts;
    loadgen::json::Value v;
    int64_t conversationId = 0, afterId = 0;
    bool tsIsString = false;
    while (r.next(key, v)) {
        if (key == "type")
            type = v.raw;
        else if (key == "token")
            token = v.raw;
        else if (key == "conversation_id")
            v.toInt(conversationId);
        else if (key == "client_msg_id")
            clientMsgId = v.raw;
        else if (key == "body")
            body = v.raw; // still escaped: forwarded into JSON as it came
        else if (key == "ts") {
            ts = v.raw;
            tsIsString = v.kind == loadgen::json::Value::Kind::String;
        } else if (key == "after_id")
            v.toInt(afterId);
    }
    if (r.failed() || type.empty()) {
        sendError("bad_request", "not a JSON object with a type");
        return;
    }
    if (m_state == State::AwaitAuth) {
        if (type == "auth")
            authenticate(token);
        else
            sendError("unauthorized", "send an auth frame first");
        return;
    }
    if (type == "send") {
        handleSend(conversationId, clientMsgId, body);
    } else if (type == "ping") {
        m_text.assign("{\"type\":\"pong\"");
        if (!ts.empty()) {
            m_text.append(",\"ts\":");
            if (tsIsString)
                m_text.append("\"").append(ts).append("\"");
            else
                m_text.append(ts);
        }
        m_text.append("}");
        sendText(m_text);
    } else if (type == "sync") {
        m_text.assign("{\"type\":\"synced\",\"last_id\":");
        appendInt(m_text, afterId);
        m_text.append(",\"has_more\":false}");
        sendText(m_text);
    } else if (type == "typing" || type == "read") {
        // Not relayed: the generator does not measure them.
    } else {
        sendError("bad_request", "unknown type", clientMsgId);
    }
}

void EchoConnection::handleSend(int64_t conversationId, std::string_view clientMsgId,
                                std::string_view body)
{
    // Conversation c is between users 2c-1 and 2c (the generator's --no-setup).
    const int64_t a = 2 * conversationId - 1, b = 2 * conversationId;
    if (conversationId <= 0 || (m_user != a && m_user != b)) {
        sendError("not_found", "no such conversation", clientMsgId);
        return;
    }
    if (clientMsgId.empty() || clientMsgId.size() > 64 || body.empty()) {
        sendError("bad_request", "client_msg_id and body are required", clientMsgId);
        return;
    }
    Registry &registry = m_thread.server().registry();
    EchoServer &server = m_thread.server();
    const int64_t id = registry.nextMessageId();
    registry.withNextSeq(conversationId, [&](int64_t seq) {
        std::string message = "{\"id\":";
        appendInt(message, id);
        message.append(",\"conversation_id\":");
        appendInt(message, conversationId);
        message.append(",\"seq\":");
        appendInt(message, seq);
        message.append(",\"sender_id\":");
        appendInt(message, m_user);
        message.append(",\"body\":\"").append(body).append("\",\"client_msg_id\":\"");
        message.append(clientMsgId).append("\",\"created_at\":\"").append(kCreatedAt).append("\"}");

        m_text.assign("{\"type\":\"ack\",\"client_msg_id\":\"").append(clientMsgId);
        m_text.append("\",\"message\":").append(message).append("}");
        sendText(m_text);

        // One encoded frame for every recipient, queued (in seq order) to
        // the thread that owns each of them.
        auto frame = std::make_shared<std::string>();
        loadgen::ws::appendFrame(*frame, Opcode::Text,
                                 "{\"type\":\"message\",\"message\":" + message + "}", false, 0);
        std::shared_ptr<const std::string> shared = std::move(frame);
        for (int64_t user : {a, b}) {
            registry.forEachConnection(user, [&](const ConnRef &ref) {
                if (ref.id != m_id)
                    server.thread(ref.thread).enqueue(ref.id, shared);
            });
        }
    });
}

} // namespace sanayicin::echo
