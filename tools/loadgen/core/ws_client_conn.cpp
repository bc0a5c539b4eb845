#include "ws_client_conn.h"

#include "ws_handshake.h"

#include <cerrno>
#include <sys/socket.h>
#include <unistd.h>

namespace sanayicin::loadgen {

namespace {
// Edge-triggered: one epoll_ctl per connection for its whole life; reads go
// on until the socket is drained and writes until it is full.
constexpr uint32_t kEvents = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
constexpr size_t kShrinkAbove = 256 * 1024; // give back the memory of a burst
} // namespace

WsClientConn::~WsClientConn()
{
    if (m_fd >= 0) {
        m_loop.remove(m_fd);
        ::close(m_fd);
    }
}

bool WsClientConn::connect(const Endpoint &to, uint32_t source, std::string_view bearer,
                           uint64_t keySeed1, uint64_t keySeed2)
{
    m_out.clear();
    m_outOffset = 0;
    m_handshake.clear();
    m_reader = ws::FrameReader(false, 16 * 1024 * 1024);
    m_closeSent = false;
    m_closeCode = 1006;
    m_httpStatus = 0;
    m_errno = 0;
    m_fd = connectTcp(to, source);
    if (m_fd < 0) {
        m_errno = errno;
        m_state = State::Closed;
        return false;
    }
    const std::string key = ws::makeKey(keySeed1, keySeed2);
    m_accept = ws::acceptFor(key);
    m_out = ws::clientRequest(to.hostPort, to.path, key, bearer);
    m_state = State::Connecting;
    if (!m_loop.add(m_fd, kEvents, this)) {
        m_errno = errno;
        ::close(m_fd);
        m_fd = -1;
        m_state = State::Closed;
        return false;
    }
    return true;
}

void WsClientConn::sendText(std::string_view payload, uint32_t maskKey)
{
    sendFrame(ws::Opcode::Text, payload, maskKey);
}

void WsClientConn::sendFrame(ws::Opcode op, std::string_view payload, uint32_t maskKey)
{
    if (m_fd < 0 || m_closeSent)
        return;
    ws::appendFrame(m_out, op, payload, true, maskKey);
    if (!m_dirty) {
        m_dirty = true;
        m_owner.markDirty(*this);
    }
}

void WsClientConn::close(uint16_t code, uint32_t maskKey)
{
    if (m_fd < 0 || m_closeSent)
        return;
    if (m_state != State::Open && m_state != State::Closing) {
        abort(code);
        return;
    }
    sendFrame(ws::Opcode::Close, ws::closePayload(code), maskKey);
    m_closeSent = true;
    m_state = State::Closing;
}

void WsClientConn::abort(int code)
{
    if (m_fd < 0)
        return;
    finish(code);
}

void WsClientConn::finish(int code)
{
    if (m_fd >= 0) {
        m_loop.remove(m_fd);
        ::close(m_fd);
        m_fd = -1;
    }
    m_out.clear();
    m_outOffset = 0;
    if (m_out.capacity() > kShrinkAbove)
        std::string().swap(m_out);
    std::string().swap(m_handshake);
    m_state = State::Closed;
    m_owner.onConnClosed(*this, code);
}

void WsClientConn::flush()
{
    m_dirty = false;
    if (m_fd < 0 || m_state == State::Connecting)
        return; // the connect completes with EPOLLOUT, which flushes
    while (m_outOffset < m_out.size()) {
        const ssize_t n = ::send(m_fd, m_out.data() + m_outOffset, m_out.size() - m_outOffset,
                                 MSG_NOSIGNAL);
        if (n > 0) {
            m_outOffset += size_t(n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return; // EPOLLOUT (edge) comes when there is room again
        m_errno = errno;
        finish(m_state == State::Open || m_state == State::Closing ? 1006 : kConnectFailed);
        return;
    }
    m_out.clear();
    m_outOffset = 0;
    if (m_out.capacity() > kShrinkAbove)
        std::string().swap(m_out);
}

void WsClientConn::onEvents(uint32_t events)
{
    if (m_fd < 0)
        return;
    if (events & EPOLLOUT)
        onWritable();
    if (m_fd >= 0 && (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)))
        onReadable();
}

void WsClientConn::onWritable()
{
    if (m_state == State::Connecting) {
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err != 0) {
            m_errno = err;
            finish(kConnectFailed);
            return;
        }
        m_state = State::Handshake;
    }
    flush();
}

void WsClientConn::onReadable()
{
    size_t cap = 0;
    char *buf = m_owner.readBuffer(cap);
    for (;;) {
        const ssize_t n = ::recv(m_fd, buf, cap, 0);
        if (n > 0) {
            const bool ok = (m_state == State::Handshake || m_state == State::Connecting)
                                ? handleHandshake(buf, size_t(n))
                                : handleFrames(buf, size_t(n));
            if (!ok || m_fd < 0)
                return;
            if (size_t(n) < cap)
                return; // drained (a short read on a stream socket empties it)
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (n < 0)
            m_errno = errno;
        // End of stream: after a close frame that is the normal end.
        if (m_state == State::Connecting) {
            finish(kConnectFailed);
        } else if (m_state == State::Handshake) {
            finish(kHandshakeFailed);
        } else {
            finish(m_closeCode);
        }
        return;
    }
}

bool WsClientConn::handleHandshake(char *data, size_t len)
{
    if (m_state == State::Connecting)
        m_state = State::Handshake;
    m_handshake.append(data, len);
    size_t headerLength = 0;
    const ws::HandshakeStatus st =
        ws::parseServerResponse(m_handshake, m_accept, headerLength, m_httpStatus);
    if (st == ws::HandshakeStatus::NeedMore)
        return true;
    if (st == ws::HandshakeStatus::Error) {
        finish(kHandshakeFailed);
        return false;
    }
    m_state = State::Open;
    std::string rest = m_handshake.substr(headerLength);
    std::string().swap(m_handshake);
    m_owner.onConnOpen(*this);
    if (m_fd < 0)
        return false;
    // The server may send its first frame in the same segment as the 101.
    return rest.empty() || handleFrames(rest.data(), rest.size());
}

bool WsClientConn::handleFrames(char *data, size_t len)
{
    const bool ok = m_reader.consume(data, len, [this](ws::Opcode op, std::string_view payload) {
        switch (op) {
        case ws::Opcode::Text:
            if (m_state == State::Open)
                m_owner.onConnText(*this, payload);
            return m_fd >= 0;
        case ws::Opcode::Ping:
            // The mask of a pong need not be unpredictable; the payload's
            // length is enough variation for a load generator.
            sendFrame(ws::Opcode::Pong, payload, uint32_t(payload.size()) * 0x9E3779B1u);
            return true;
        case ws::Opcode::Close:
            m_closeCode = ws::closeCodeOf(payload);
            if (!m_closeSent) {
                sendFrame(ws::Opcode::Close, payload.substr(0, 2), 0x5A5A5A5A);
                m_closeSent = true;
            }
            m_state = State::Closing;
            flush();
            if (m_fd >= 0) {
                // The server closes the TCP connection after the handshake;
                // we do not wait for it: the code is what matters.
                finish(m_closeCode);
            }
            return false;
        default:
            return true; // pong, binary: nothing to do for a load generator
        }
    });
    if (!ok && m_fd >= 0) {
        const uint16_t code = m_reader.closeCode() ? m_reader.closeCode() : 1002;
        sendFrame(ws::Opcode::Close, ws::closePayload(code), 0x1234567);
        flush();
        if (m_fd >= 0)
            finish(code);
        return false;
    }
    return m_fd >= 0;
}

} // namespace sanayicin::loadgen
