#pragma once

#include "event_loop.h"
#include "net.h"

#include <functional>
#include <string>
#include <string_view>

namespace sanayicin::loadgen {

struct HttpResponse
{
    int status = 0; // 0: the connection failed before an answer
    std::string body;
    int retryAfterS = -1;
};

// One keep-alive HTTP/1.1 client connection, one request at a time, on an
// epoll loop. Enough for the setup's JSON POSTs: Content-Length or chunked
// answers, reconnecting when the server closed an idle connection.
class HttpConn : public EventLoop::Handler
{
public:
    using Callback = std::function<void(HttpResponse &&)>;

    HttpConn(EventLoop &loop, Endpoint server, uint32_t source)
        : m_loop(loop), m_server(std::move(server)), m_source(source)
    {}
    ~HttpConn() override;

    bool busy() const { return static_cast<bool>(m_callback); }
    // Sends a request; `done` runs on the loop's thread with the answer.
    void request(std::string_view method, std::string_view path, std::string_view body,
                 std::string_view bearer, Callback done);

    void onEvents(uint32_t events) override;

private:
    void open();
    void closeSocket();
    void fail();
    void writeSome();
    void readSome();
    bool parse(); // true when a whole response is in m_in

    EventLoop &m_loop;
    Endpoint m_server;
    uint32_t m_source;
    int m_fd = -1;
    bool m_connected = false;
    bool m_serverCloses = false;
    std::string m_out;
    size_t m_outOffset = 0;
    std::string m_in;
    Callback m_callback;
};

} // namespace sanayicin::loadgen
