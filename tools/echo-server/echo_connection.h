#pragma once

#include "event_loop.h"
#include "frame_reader.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace sanayicin::echo {

class EchoThread;

// One client of the echo server: the upgrade, auth (header "Bearer <id>" or
// an auth frame with token "<id>"), hello, and the answers: send -> ack plus
// a message frame to the other participant's connections, ping -> pong,
// sync -> synced (nothing is stored), typing/read ignored.
class EchoConnection : public loadgen::EventLoop::Handler
{
public:
    EchoConnection(EchoThread &thread, int fd, uint64_t id);
    ~EchoConnection() override;

    uint64_t id() const { return m_id; }
    // Appends an encoded frame (from another connection's send).
    void queueEncoded(const std::string &frame);
    void flush();
    void onEvents(uint32_t events) override;

private:
    enum class State { Handshake, AwaitAuth, Open, Closed };

    bool onHandshake(char *data, size_t len);
    bool onFrames(char *data, size_t len);
    void onText(std::string_view text);
    void authenticate(std::string_view token);
    void handleSend(int64_t conversationId, std::string_view clientMsgId, std::string_view body);
    void sendText(std::string_view payload);
    void sendError(std::string_view code, std::string_view message, std::string_view ref = {});
    void closeWith(uint16_t code);
    void shutdown();
    void markDirty();

    EchoThread &m_thread;
    int m_fd;
    uint64_t m_id;
    State m_state = State::Handshake;
    int64_t m_user = 0;
    bool m_dirty = false;
    bool m_closeAfterFlush = false;
    std::string m_handshake;
    std::string m_out;
    size_t m_outOffset = 0;
    loadgen::ws::FrameReader m_reader{true, 64 * 1024};
    std::string m_text; // scratch for building frames
};

} // namespace sanayicin::echo
