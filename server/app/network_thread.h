#pragma once

#include <QThread>

namespace sanayicin {

class Heartbeat;
class HttpServer;
class ListeningServer;
class Router;
class WsGateway;
struct Services;
struct WsDeps;

// One event loop with its own listening socket, HTTP server and WebSocket
// gateway; it owns every connection it accepts.
class NetworkThread : public QThread
{
    Q_OBJECT
public:
    NetworkThread(Services &services, const WsDeps &ws, const Router &router, int listenFd,
                  int index);
    // This thread also serves the operations listener on `fd` with `router`.
    void addOperationsListener(const Router &router, int fd)
    {
        m_opsRouter = &router;
        m_opsFd = fd;
    }
    ~NetworkThread() override;
    // Before start: the loop stamps `heartbeat` (systemd's watchdog).
    void setHeartbeat(Heartbeat *heartbeat) { m_heartbeat = heartbeat; }
    Heartbeat *heartbeat() const { return m_heartbeat; }

    // Blocks until the loop runs and its gateway is registered with the hub.
    void startAndWait();
    // Stops accepting new connections (queued to the thread).
    void stopListening();
    int connectionCount() const;

protected:
    void run() override;

private:
    Services &m_services;
    const WsDeps &m_ws;
    const Router &m_router;
    int m_fd;
    const Router *m_opsRouter = nullptr;
    int m_opsFd = -1;
    Heartbeat *m_heartbeat = nullptr;
    std::atomic<WsGateway *> m_gateway{nullptr};
    std::atomic<ListeningServer *> m_listener{nullptr};
};

} // namespace sanayicin
