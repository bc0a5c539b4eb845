#pragma once

#include "http_types.h"
#include "net/connection_limits.h"
#include "protocol/admin_client_frames.h"

#include <QAbstractHttpServer>
#include <QTcpServer>
#include <QTimer>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>

namespace sanayicin {

class Counter;
class HttpConnection;
class Router;
struct Route;
struct HttpCall;
class WsGateway;
struct HttpDeps;

// One network thread's HTTP server: QtHttpServer parses, we route. Requests
// may be answered later (after a database round trip); responses on one
// connection still go out in request order, as HTTP/1.1 pipelining needs.
// Two roles: the public listener (the API, the page, /ws) and the
// operations listener (--ops-listen: /healthz, /readyz, /metrics).
class HttpServer : public QAbstractHttpServer
{
    Q_OBJECT
public:
    enum class Role { Public, Operations };

    // `gateway` may be null for the operations role (no WebSockets there).
    HttpServer(HttpDeps &deps, const Router &router, WsGateway *gateway, Role role,
               QObject *parent = nullptr);

    Role role() const { return m_role; }

    // Called by HttpCall::respond on this thread.
    void complete(QTcpSocket *socket, quint64 slot, HttpResponse response);

    // Called by a connection's guard (HttpConnection).
    void adopt(HttpConnection *connection);
    // Answers with `response` after every response owed, then closes.
    void queueRefusal(QTcpSocket *socket, const HttpResponse &response);
    // Whether a paused connection may read requests again.
    bool mayResume(QTcpSocket *socket) const;

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    struct Pending
    {
        std::optional<HttpResponse> response;
        bool head = false;  // HEAD: headers only
        bool last = false;  // a refusal: the connection closes after it
    };
    struct Pipeline
    {
        HttpConnection *connection = nullptr;
        quint64 nextSlot = 0;
        std::map<quint64, Pending> pending; // by slot, oldest first
        bool closing = false;
    };
    // What handleRequest decided about a WebSocket upgrade, for
    // missingHandler right after it (QtHttpServer calls them in a row).
    struct Upgrade
    {
        std::optional<HttpResponse> refusal;
        ConnectionTicket forwarded;
        std::optional<AdminStreamResume> admin; // GET /ws/admin
    };

    void dispatch(const QHttpServerRequest &request, QTcpSocket *socket, quint64 slot);
    Upgrade checkUpgrade(const QHttpServerRequest &request);
    void takeOverWebSocket(const QHttpServerRequest &request, QTcpSocket *socket,
                           ConnectionTicket forwarded, std::optional<AdminStreamResume> admin);
    void authorize(const std::shared_ptr<HttpCall> &call, const Route *route);
    void handle(const std::shared_ptr<HttpCall> &call, const Route *route);
    QString clientAddress(const QHttpServerRequest &request, bool *forwarded = nullptr) const;
    void writeReady(QTcpSocket *socket, Pipeline &pipeline);
    static void writeNow(QTcpSocket *socket, const HttpResponse &response);

    HttpDeps &m_deps;
    const Router &m_router;
    WsGateway *m_gateway;
    Role m_role;
    std::unordered_map<QTcpSocket *, Pipeline> m_pipelines; // QHash needs copyable values
    std::optional<Upgrade> m_upgrade;
    Counter &m_pauses;
};

// A QTcpServer on an already listening descriptor. Every connection it
// accepts gets its guard (HttpConnection) before QtHttpServer sees it, and a
// place under the connection caps or a 503.
//
// It accepts by itself: QTcpServer 6.4 takes EMFILE from accept() for a
// passing condition and tries again at once, for as long as the process is
// out of descriptors (both network threads spin). An event filter on
// QTcpServer's own read notifier runs the accept loop instead; when accept()
// fails for want of descriptors or memory, accepting pauses and resumes with
// a back-off (25 ms doubling to 1 s), logged once per episode and counted,
// and a few descriptors kept in reserve are handed back to the rest of the
// process (DescriptorReserve) until accepting can take them again.
class ListeningServer : public QTcpServer
{
    Q_OBJECT
public:
    // `counted`: connections take a place under the caps (not so for the
    // operations listener, which must answer when the public one is full).
    ListeningServer(HttpDeps &deps, HttpServer &server, bool counted,
                    QObject *parent = nullptr);

    // setSocketDescriptor(), then this.
    void startAccepting();

protected:
    void incomingConnection(qintptr descriptor) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void acceptReady();
    void pauseForBackoff(int error);
    void retryAccept();

    HttpDeps &m_deps;
    HttpServer &m_server;
    bool m_counted;
    QTimer m_retry;
    int m_backoffMs = 0; // 0: accepting normally
    qint64 m_pausedSinceNs = 0;
    qint64 m_lastWarningNs = 0;
    Counter &m_acceptPauses;
};

} // namespace sanayicin
