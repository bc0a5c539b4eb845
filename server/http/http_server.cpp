#include "http_server.h"

#include "admin_stream_query.h"
#include "chat/chat.h"
#include "http_call.h"
#include "http_connection.h"
#include "http_deps.h"
#include "logging/log.h"
#include "metrics/server_metrics.h"
#include "net/descriptor_reserve.h"
#include "operations_status.h"
#include "response_writer.h"
#include "router.h"
#include "time/clock.h"
#include "ws/counted_ws_transport.h"
#include "ws/native_ws_transport.h"
#include "ws/qt_ws_transport.h"
#include "ws/ws_gateway.h"

#include <QEvent>
#include <QHttpServerRequest>
#include <QSocketNotifier>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sanayicin {

namespace {
const QString kAdminStreamPath = QStringLiteral("/ws/admin");
} // namespace

namespace {

HttpMethod methodOf(QHttpServerRequest::Method m)
{
    switch (m) {
    case QHttpServerRequest::Method::Get: return HttpMethod::Get;
    case QHttpServerRequest::Method::Post: return HttpMethod::Post;
    case QHttpServerRequest::Method::Put: return HttpMethod::Put;
    case QHttpServerRequest::Method::Delete: return HttpMethod::Delete;
    case QHttpServerRequest::Method::Head: return HttpMethod::Head;
    default: return HttpMethod::Other;
    }
}

// QtHttpServer 6.4's own test for an upgrade request (qabstracthttpserver.cpp):
// after one, it never reads HTTP from that socket again.
bool isWebSocketUpgrade(const QHttpServerRequest &request)
{
    return request.value("connection").toLower().contains("upgrade")
           && request.value("upgrade").compare("websocket", Qt::CaseInsensitive) == 0;
}

bool isTrustedProxy(const QList<QHostAddress> &proxies, const QHostAddress &peer)
{
    for (const QHostAddress &proxy : proxies)
        if (peer.isEqual(proxy, QHostAddress::TolerantConversion))
            return true;
    return false;
}

// How long a client refused by a connection cap should wait.
constexpr int kCapRetryAfterMs = 5000;

HttpConnection::Settings connectionSettings(const HttpSettings &c)
{
    HttpConnection::Settings s;
    s.framing.requestLine = c.requestLineLimit;
    s.framing.headerSection = c.headerLimit;
    s.framing.headerCount = c.headerCountLimit;
    s.framing.body = c.bodyLimitBytes;
    s.idleTimeoutMs = c.idleTimeoutMs;
    s.requestTimeoutMs = c.requestTimeoutMs;
    s.lingerMs = c.lingerMs;
    return s;
}

} // namespace

// ---- ListeningServer --------------------------------------------------------

ListeningServer::ListeningServer(HttpDeps &deps, HttpServer &server, bool counted,
                                 QObject *parent)
    : QTcpServer(parent), m_deps(deps), m_server(server), m_counted(counted)
    , m_acceptPauses(deps.metrics.registry.counter(
          "sanayicin_accept_paused_total",
          "Times accept() failed for want of file descriptors or memory and accepting paused."))
{
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &ListeningServer::retryAccept);
}

void ListeningServer::startAccepting()
{
    // QTcpServer's read notifier (a child of its socket engine) still wakes
    // us; its events come here instead of to QTcpServer's accept loop.
    for (QSocketNotifier *n : findChildren<QSocketNotifier *>())
        n->installEventFilter(this);
}

bool ListeningServer::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::SockAct) {
        acceptReady();
        return true;
    }
    return QTcpServer::eventFilter(watched, event);
}

void ListeningServer::acceptReady()
{
    const int listenFd = int(socketDescriptor());
    // Clients never take the process's last few descriptors.
    if (!DescriptorReserve::process().hold()) {
        pauseForBackoff(EMFILE);
        return;
    }
    // A bounded batch per wake-up; the notifier is level-triggered. Another
    // thread may let the reserve go meanwhile: then stop at once, so that
    // at most one accept per thread eats into it.
    DescriptorReserve &reserve = DescriptorReserve::process();
    for (int i = 0; i < 256 && listenFd >= 0 && reserve.held(); ++i) {
        const int fd = ::accept4(listenFd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd >= 0) {
            incomingConnection(fd);
            continue;
        }
        const int error = errno;
        if (error == EAGAIN || error == EWOULDBLOCK)
            return;
        if (error == EINTR || error == ECONNABORTED || error == EPROTO || error == EPERM)
            continue; // that one connection is gone; the next may be fine
        if (error == EMFILE || error == ENFILE)
            DescriptorReserve::process().release();
        pauseForBackoff(error);
        return;
    }
}

void ListeningServer::pauseForBackoff(int error)
{
    pauseAccepting();
    if (m_backoffMs == 0) {
        m_backoffMs = 25;
        m_pausedSinceNs = steadyNs();
        m_acceptPauses.inc();
        // Once per episode, and at most every 10 s in a storm of them.
        if (m_lastWarningNs == 0 || m_pausedSinceNs - m_lastWarningNs > 10'000'000'000LL) {
            m_lastWarningNs = m_pausedSinceNs;
            qCWarning(lcHttp).noquote()
                << "accept failed:" << QString::fromLocal8Bit(std::strerror(error))
                << "- accepting paused with"
                << (m_deps.connections ? m_deps.connections->openConnections() : 0)
                << "connections open; retrying with back-off (sanayicin_accept_paused_total"
                << m_acceptPauses.value() << "so far)";
        }
    } else {
        m_backoffMs = std::min(m_backoffMs * 2, 1000);
    }
    m_retry.start(m_backoffMs);
}

void ListeningServer::retryAccept()
{
    if (!isListening())
        return;
    resumeAccepting();
    acceptReady();
}

void ListeningServer::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        ::close(int(descriptor));
        return;
    }
    if (m_backoffMs) {
        if (m_lastWarningNs == m_pausedSinceNs)
            qCInfo(lcHttp) << "accepting connections again after"
                           << (steadyNs() - m_pausedSinceNs) / 1000000 << "ms";
        m_backoffMs = 0;
    }
    const HttpSettings &settings = m_deps.settings;
    ConnectionLimits::Refusal refusal = ConnectionLimits::Refusal::None;
    ConnectionTicket ticket;
    if (m_counted && m_deps.connections) {
        // Behind nginx every connection comes from nginx: a trusted proxy's
        // connections count only in the total (its clients are counted by
        // address when they open a WebSocket).
        const QHostAddress peer = socket->peerAddress();
        const QByteArray key = isTrustedProxy(settings.trustedProxies, peer)
                                   ? QByteArray()
                                   : ConnectionLimits::addressKey(peer);
        ticket = m_deps.connections->open(key, refusal);
    }
    auto *connection = new HttpConnection(socket, connectionSettings(settings), std::move(ticket));
    addPendingConnection(socket); // QtHttpServer connects its handlers here
    connection->attach(&m_server);
    m_server.adopt(connection);
    if (refusal != ConnectionLimits::Refusal::None)
        connection->refuse(HttpResponse::error(
            {ErrorCode::Unavailable,
             refusal == ConnectionLimits::Refusal::Total
                 ? QStringLiteral("the server has as many connections as it takes; try again shortly")
                 : QStringLiteral("too many connections from this address"),
             kCapRetryAfterMs}));
    Q_EMIT newConnection();
}

// ---- HttpServer -------------------------------------------------------------

HttpServer::HttpServer(HttpDeps &deps, const Router &router, WsGateway *gateway, Role role,
                       QObject *parent)
    : QAbstractHttpServer(parent), m_deps(deps), m_router(router), m_gateway(gateway)
    , m_role(role)
    , m_pauses(deps.metrics.registry.counter(
          "sanayicin_http_pipeline_pauses_total",
          "Times a connection stopped being read because too many responses were owed."))
{
    // With QtWebSockets, QAbstractHttpServer upgrades the connection when
    // something listens to this signal. Without a listener, upgrade requests
    // come to missingHandler(), where the native WebSocket takes them.
    if (m_gateway && !m_deps.settings.nativeWebSocket)
        connect(this, &QAbstractHttpServer::newWebSocketConnection, this, [this] {
            while (hasPendingWebSocketConnections()) {
                std::unique_ptr<QWebSocket> socket = nextPendingWebSocketConnection();
                // handleRequest checked the query of an admin stream already.
                std::optional<AdminStreamResume> admin;
                if (socket->requestUrl().path() == kAdminStreamPath) {
                    QString unused;
                    admin = parseAdminStreamQuery(
                                socket->requestUrl().query(QUrl::FullyEncoded).toLatin1(), unused)
                                .value_or(AdminStreamResume{});
                }
                const qint64 limit =
                    admin ? qint64(kAdminFrameMaxBytes) : qint64(m_deps.settings.frameLimitBytes);
                m_gateway->accept(std::make_unique<QtWsTransport>(std::move(socket), limit),
                                  std::move(admin));
            }
        });
}

void HttpServer::adopt(HttpConnection *connection)
{
    QTcpSocket *socket = connection->socket();
    m_pipelines[socket].connection = connection;
    connect(socket, &QObject::destroyed, this, [this, socket] { m_pipelines.erase(socket); });
}

bool HttpServer::mayResume(QTcpSocket *socket) const
{
    const auto it = m_pipelines.find(socket);
    if (it == m_pipelines.end())
        return true;
    return qsizetype(it->second.pending.size()) < m_deps.settings.pipelineLimit
           && socket->bytesToWrite() <= m_deps.settings.unsentLimitBytes;
}

bool HttpServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    auto it = m_pipelines.find(socket);
    HttpConnection *connection = it == m_pipelines.end() ? nullptr : it->second.connection;
    if (isWebSocketUpgrade(request)) {
        const QString path = request.url().path();
        if (m_role == Role::Public && m_gateway && (path == u"/ws" || path == kAdminStreamPath)) {
            m_upgrade = checkUpgrade(request);
            if (!m_upgrade->refusal && path == kAdminStreamPath) {
                QString why;
                m_upgrade->admin = parseAdminStreamQuery(
                    request.url().query(QUrl::FullyEncoded).toLatin1(), why);
                if (!m_upgrade->admin)
                    m_upgrade->refusal = HttpResponse::error(ApiError::badRequest(why));
            }
            // Native: missingHandler() comes next and takes the socket over.
            if (m_deps.settings.nativeWebSocket)
                return true;
            if (m_upgrade->refusal)
                return false; // missingHandler() answers, QtHttpServer closes
            // QtWebSockets takes the socket; the guard stays its child and
            // keeps the connection's places under the caps.
            if (connection) {
                connection->detachForUpgrade();
                connection->keepTicket(std::move(m_upgrade->forwarded));
            }
            m_upgrade.reset();
            m_pipelines.erase(socket);
            return true;
        }
        m_upgrade = Upgrade{HttpResponse::error(ApiError::notFound(QStringLiteral("no such endpoint"))), {}};
        return false;
    }
    if (it == m_pipelines.end())
        it = m_pipelines.emplace(socket, Pipeline{}).first;
    if (it->second.closing)
        return true; // refused: nothing after it is answered
    if (connection)
        connection->touch();
    const quint64 slot = it->second.nextSlot++;
    it->second.pending.emplace(
        slot, Pending{std::nullopt, request.method() == QHttpServerRequest::Method::Head, false});
    dispatch(request, socket, slot);
    // Too many responses owed (a client pipelining without reading): read no
    // further requests until they are written.
    if (connection && !connection->paused() && !mayResume(socket)) {
        m_pauses.inc();
        connection->pause();
    }
    return true;
}

void HttpServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // Only upgrade requests arrive here (handleRequest takes everything
    // else); QtHttpServer closes the socket after this returns.
    std::optional<Upgrade> upgrade = std::move(m_upgrade);
    m_upgrade.reset();
    if (!upgrade) {
        writeNow(socket, HttpResponse::error(ApiError::notFound(QStringLiteral("no such endpoint"))));
        return;
    }
    if (upgrade->refusal) {
        m_deps.metrics.countHttp("/ws", upgrade->refusal->status, 0);
        writeNow(socket, *upgrade->refusal);
        return;
    }
    if (m_deps.settings.nativeWebSocket)
        takeOverWebSocket(request, socket, std::move(upgrade->forwarded), std::move(upgrade->admin));
}

// Before the 101: the instance's state, the per-address budget for new
// WebSockets, and (for a client a proxy forwards) the per-address cap.
HttpServer::Upgrade HttpServer::checkUpgrade(const QHttpServerRequest &request)
{
    Upgrade u;
    if (m_deps.operations.draining()) {
        u.refusal = HttpResponse::error({ErrorCode::Unavailable,
                                         QStringLiteral("the instance is shutting down; reconnect"),
                                         1000});
        return u;
    }
    bool forwarded = false;
    const QString client = clientAddress(request, &forwarded);
    const bool proxyItself =
        !forwarded && isTrustedProxy(m_deps.settings.trustedProxies, request.remoteAddress());
    if (!proxyItself) {
        // This instance's own buckets: the upgrade stays synchronous.
        const chat::Status admitted = m_deps.chat.admission.openWebSocket(client);
        if (!admitted.ok()) {
            u.refusal = HttpResponse::error(admitted.error());
            return u;
        }
    }
    if (forwarded && m_deps.connections) {
        ConnectionLimits::Refusal why;
        u.forwarded = m_deps.connections->openForwarded(
            ConnectionLimits::addressKey(client.toLatin1()), why);
        if (!u.forwarded)
            u.refusal = HttpResponse::error(
                {ErrorCode::Unavailable, QStringLiteral("too many connections from this address"),
                 kCapRetryAfterMs});
    }
    return u;
}

void HttpServer::takeOverWebSocket(const QHttpServerRequest &request, QTcpSocket *socket,
                                   ConnectionTicket forwarded,
                                   std::optional<AdminStreamResume> admin)
{
    const QByteArray key = request.value("sec-websocket-key").trimmed();
    if (request.method() != QHttpServerRequest::Method::Get || key.isEmpty()
        || request.value("sec-websocket-version").trimmed() != "13") {
        writeNow(socket, HttpResponse::error(ApiError::badRequest(
                             QStringLiteral("not a WebSocket handshake (RFC 6455, version 13)"))));
        return;
    }
    // The descriptor leaves QTcpSocket (and QtHttpServer, which then drops
    // its side); from here the connection speaks RFC 6455 through our own
    // transport, registered with this thread's event loop.
    const int fd = ::dup(int(socket->socketDescriptor()));
    if (fd < 0)
        return;
    const QString peer = request.remoteAddress().toString();
    ConnectionTicket ticket;
    const auto it = m_pipelines.find(socket);
    if (it != m_pipelines.end() && it->second.connection) {
        it->second.connection->detachForUpgrade();
        ticket = it->second.connection->takeTicket();
    }
    socket->abort();
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    const QByteArray response = "HTTP/1.1 101 Switching Protocols\r\n"
                                "Upgrade: websocket\r\n"
                                "Connection: Upgrade\r\n"
                                "Sec-WebSocket-Accept: "
                                + NativeWsTransport::acceptKey(key) + "\r\n\r\n";
    // With the token in the header the next thing out is hello (or the
    // error that refuses the token): MSG_MORE lets the kernel put the 101
    // into the same segment instead of a segment, a wake-up and an ACK of
    // its own (the kernel sends it alone after 200 ms if nothing follows).
    // A browser authenticates with its first frame, after the 101: no hold.
    const QByteArray authorization = request.value("authorization");
    const int more = authorization.isEmpty() ? 0 : MSG_MORE;
    if (::send(fd, response.constData(), size_t(response.size()), MSG_NOSIGNAL | more)
        != response.size()) {
        ::close(fd);
        return;
    }
    const qint64 limit =
                    admin ? qint64(kAdminFrameMaxBytes) : qint64(m_deps.settings.frameLimitBytes);
    m_gateway->accept(std::make_unique<CountedWsTransport>(
                          std::make_unique<NativeWsTransport>(fd, authorization, peer, limit),
                          std::move(ticket), std::move(forwarded)),
                      std::move(admin));
}

QString HttpServer::clientAddress(const QHttpServerRequest &request, bool *forwarded) const
{
    const QHostAddress peer = request.remoteAddress();
    if (forwarded)
        *forwarded = false;
    if (isTrustedProxy(m_deps.settings.trustedProxies, peer)) {
        QByteArray named = request.value("x-real-ip").trimmed();
        if (named.isEmpty()) {
            const QByteArray list = request.value("x-forwarded-for");
            if (!list.isEmpty())
                named = list.split(',').last().trimmed();
        }
        if (!named.isEmpty()) {
            if (forwarded)
                *forwarded = true;
            return QString::fromLatin1(named);
        }
    }
    return peer.toString();
}

void HttpServer::dispatch(const QHttpServerRequest &qreq, QTcpSocket *socket, quint64 slot)
{
    HttpRequest req;
    req.startNs = steadyNs();
    req.method = methodOf(qreq.method());
    req.path = qreq.url().path();
    req.body = qreq.body();
    req.contentType = qreq.value("content-type");
    req.authorization = qreq.value("authorization");
    req.clientAddress = clientAddress(qreq, &req.forwarded);
    req.operations = m_role == Role::Operations;

    const Route *route = m_router.match(req.method, req.path, req.params);
    auto call = std::make_shared<HttpCall>(m_deps, this, socket, slot, std::move(req),
                                           route ? route->pattern : QByteArray("unmatched"));
    if (!route) {
        call->fail(ApiError::notFound(QStringLiteral("no such endpoint")));
        return;
    }
    // The framer let only valid %-escapes through, so QUrl kept the query
    // as sent ('+' and "%2B" apart).
    auto query = QueryString::parse(qreq.url().query(QUrl::FullyEncoded).toLatin1());
    if (!query) {
        call->fail(ApiError::badRequest(
            QStringLiteral("the query string is not valid UTF-8 form encoding")));
        return;
    }
    call->request.query = std::move(*query);
    const qint64 bodyLimit = m_deps.settings.bodyLimitBytes;
    if (call->request.body.size() > bodyLimit) {
        call->fail({ErrorCode::TooLarge, QStringLiteral("the body is larger than %1 bytes")
                                             .arg(bodyLimit)});
        return;
    }
    // Every path has the per-address budget, the page and probes included.
    m_deps.chat.admission.request(call->caller(), call->request.clientAddress,
                                  m_role == Role::Operations, [this, call, route](chat::Status s) {
                                      if (!s.ok()) {
                                          call->fail(s.error());
                                          return;
                                      }
                                      authorize(call, route);
                                  });
}

void HttpServer::authorize(const CallPtr &call, const Route *r)
{
    if (r->access == Access::Public) {
        handle(call, r);
        return;
    }
    // The token's user, who then spends the per-user budget.
    m_deps.chat.admission.authenticate(
        call->caller(), call->request.authorization,
        [this, call, r](chat::Outcome<AuthUser> user) {
            if (!user.ok()) {
                call->fail(user.error());
                return;
            }
            call->auth = user.value();
            if (r->access == Access::Admin && call->auth.user.role != sanayicin::Role::Admin) {
                call->fail(ApiError::forbidden(QStringLiteral("administrators only")));
                return;
            }
            handle(call, r);
        });
}

// After the access checks: an id no row can have is "not found" on every
// route (the handlers read ids as 64-bit numbers).
void HttpServer::handle(const CallPtr &call, const Route *r)
{
    if (!r->idsExist(call->request.params)) {
        call->fail(ApiError::notFound(QStringLiteral("nothing has that id")));
        return;
    }
    r->handler(call);
}

void HttpServer::complete(QTcpSocket *socket, quint64 slot, HttpResponse response)
{
    auto it = m_pipelines.find(socket);
    if (it == m_pipelines.end())
        return; // the connection is gone
    auto p = it->second.pending.find(slot);
    if (p == it->second.pending.end())
        return;
    p->second.response = std::move(response);
    writeReady(socket, it->second);
}

void HttpServer::queueRefusal(QTcpSocket *socket, const HttpResponse &response)
{
    m_deps.metrics.registry
        .counter("sanayicin_http_refused_total",
                 "Requests or connections refused before routing (framing, limits, deadlines, "
                 "connection caps), by status.",
                 "status=\"" + QByteArray::number(response.status) + '"')
        .inc();
    auto it = m_pipelines.find(socket);
    if (it == m_pipelines.end()) {
        writeNow(socket, response);
        socket->disconnectFromHost();
        return;
    }
    Pipeline &p = it->second;
    if (p.closing)
        return;
    p.closing = true;
    p.pending.emplace(p.nextSlot++, Pending{response, false, true});
    writeReady(socket, p);
}

// Writes every response whose turn has come.
void HttpServer::writeReady(QTcpSocket *socket, Pipeline &p)
{
    while (!p.pending.empty() && p.pending.begin()->second.response) {
        const Pending &first = p.pending.begin()->second;
        socket->write(serializeResponse(*first.response, first.head, first.last));
        const bool last = first.last;
        p.pending.erase(p.pending.begin());
        if (last) {
            p.pending.clear();
            if (p.connection)
                p.connection->lingerAndClose();
            return;
        }
    }
    if (p.connection && p.connection->paused() && mayResume(socket))
        p.connection->resume();
}

void HttpServer::writeNow(QTcpSocket *socket, const HttpResponse &response)
{
    socket->write(serializeResponse(response, false, true));
    socket->flush();
}

} // namespace sanayicin
