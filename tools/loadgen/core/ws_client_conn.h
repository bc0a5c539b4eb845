#pragma once

#include "event_loop.h"
#include "frame_reader.h"
#include "net.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace sanayicin::loadgen {

class WsClientConn;

// What a connection tells its owner (the worker that runs its loop).
class ConnOwner
{
public:
    virtual ~ConnOwner() = default;
    virtual void onConnOpen(WsClientConn &c) = 0;                        // 101 received
    virtual void onConnText(WsClientConn &c, std::string_view text) = 0; // a text message
    // The socket is closed. `code`: the close code the server sent, 1006 when
    // the connection just ended, or the handshake failure below.
    virtual void onConnClosed(WsClientConn &c, int code) = 0;
    // The connection has bytes to write: the owner flushes it once per loop
    // turn, so that several frames for one socket go out in one write().
    virtual void markDirty(WsClientConn &c) = 0;
    // Scratch space for read(): one per thread, so that 10,000 idle
    // connections hold no read buffer of their own.
    virtual char *readBuffer(size_t &size) = 0;
};

// One client WebSocket on a non-blocking socket in an edge-triggered epoll
// loop: connect, RFC 6455 client handshake, masked frames out, frames in
// (answers pings itself), close handshake. It knows nothing of the chat
// protocol; its owner reads the text messages.
class WsClientConn : public EventLoop::Handler
{
public:
    enum class State { Idle, Connecting, Handshake, Open, Closing, Closed };
    // Codes reported to onConnClosed for failures before the upgrade.
    static constexpr int kConnectFailed = -1;
    static constexpr int kHandshakeFailed = -2;

    WsClientConn(ConnOwner &owner, EventLoop &loop) : m_owner(owner), m_loop(loop) {}
    ~WsClientConn() override;
    WsClientConn(const WsClientConn &) = delete;
    WsClientConn &operator=(const WsClientConn &) = delete;

    // Starts connecting; false (errno set) when the socket could not even start.
    // `bearer` is sent in the Authorization header when not empty.
    bool connect(const Endpoint &to, uint32_t source, std::string_view bearer, uint64_t keySeed1,
                 uint64_t keySeed2);
    void sendText(std::string_view payload, uint32_t maskKey);
    void sendFrame(ws::Opcode op, std::string_view payload, uint32_t maskKey);
    // Starts the closing handshake (the socket closes when the server answers,
    // or at abort()).
    void close(uint16_t code, uint32_t maskKey);
    // Closes the socket now; reports `code` to the owner unless already closed.
    void abort(int code);
    // Writes what is buffered; called by the owner for dirty connections.
    void flush();

    State state() const { return m_state; }
    bool isOpen() const { return m_state == State::Open; }
    size_t pendingOutput() const { return m_out.size() - m_outOffset; }
    int httpStatus() const { return m_httpStatus; }
    int lastErrno() const { return m_errno; }

    void onEvents(uint32_t events) override;

protected:
    void finish(int code);

private:
    void onWritable();
    void onReadable();
    bool handleHandshake(char *data, size_t len);
    bool handleFrames(char *data, size_t len);

    ConnOwner &m_owner;
    EventLoop &m_loop;
    int m_fd = -1;
    State m_state = State::Idle;
    bool m_dirty = false;
    bool m_closeSent = false;
    int m_closeCode = 1006;
    int m_httpStatus = 0;
    int m_errno = 0;
    std::string m_out;
    size_t m_outOffset = 0;
    std::string m_handshake; // the server's answer so far, during the handshake only
    std::string m_accept;    // expected Sec-WebSocket-Accept
    ws::FrameReader m_reader{false, 16 * 1024 * 1024};
};

} // namespace sanayicin::loadgen
