#include "http_server.h"

#include "app/daemon_config.h"
#include "app/server_metrics.h"
#include "app/services.h"
#include "auth/authenticator.h"
#include "auth/tokens.h"
#include "http_call.h"
#include "limits/rate_gate.h"
#include "logging/log.h"
#include "router.h"
#include "time/clock.h"
#include "ws/native_ws_transport.h"
#include "ws/qt_ws_transport.h"
#include "ws/ws_gateway.h"

#include <QHttpServerRequest>
#include <QTimer>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sanayicin {

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

const char *kIdleTimerName = "sanayicin-idle";

} // namespace

void ListeningServer::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    // Closes connections that send nothing (slow or idle clients); every
    // request restarts it and a WebSocket upgrade removes it.
    auto *idle = new QTimer(socket);
    idle->setObjectName(QLatin1StringView(kIdleTimerName));
    idle->setSingleShot(true);
    idle->setInterval(m_idleTimeoutMs);
    connect(idle, &QTimer::timeout, socket, &QTcpSocket::disconnectFromHost);
    idle->start();
    addPendingConnection(socket);
    Q_EMIT newConnection();
}

HttpServer::HttpServer(Services &services, const Router &router, WsGateway &gateway,
                       QObject *parent)
    : QAbstractHttpServer(parent), m_services(services), m_router(router), m_gateway(gateway)
{
    // With QtWebSockets, QAbstractHttpServer upgrades the connection when
    // something listens to this signal. Without a listener, upgrade requests
    // come to missingHandler(), where the native WebSocket takes them.
    if (!m_services.config.nativeWebSocket)
        connect(this, &QAbstractHttpServer::newWebSocketConnection, this, [this] {
            const qint64 limit = m_services.config.frameLimitBytes;
            while (hasPendingWebSocketConnections())
                m_gateway.accept(
                    std::make_unique<QtWsTransport>(nextPendingWebSocketConnection(), limit));
        });
}

void HttpServer::touch(QTcpSocket *socket)
{
    if (auto *idle = socket->findChild<QTimer *>(QLatin1StringView(kIdleTimerName),
                                                 Qt::FindDirectChildrenOnly))
        idle->start();
}

bool HttpServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    if (request.url().path() == u"/ws" && request.value("upgrade").toLower() == "websocket") {
        // Let QtHttpServer upgrade it; the connection now lives as long as
        // the WebSocket does.
        delete socket->findChild<QTimer *>(QLatin1StringView(kIdleTimerName),
                                           Qt::FindDirectChildrenOnly);
        return true;
    }
    touch(socket);
    auto it = m_pipelines.find(socket);
    if (it == m_pipelines.end()) {
        it = m_pipelines.emplace(socket, Pipeline{}).first;
        connect(socket, &QObject::destroyed, this,
                [this, socket] { m_pipelines.erase(socket); });
    }
    const quint64 slot = it->second.nextSlot++;
    it->second.pending.emplace(slot, Pending{makeResponder(request, socket), std::nullopt});
    dispatch(request, socket, slot);
    return true;
}

void HttpServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // Only upgrade requests arrive here (handleRequest takes everything else).
    if (m_services.config.nativeWebSocket && request.url().path() == u"/ws")
        takeOverWebSocket(request, socket);
}

void HttpServer::takeOverWebSocket(const QHttpServerRequest &request, QTcpSocket *socket)
{
    const QByteArray key = request.value("sec-websocket-key").trimmed();
    if (request.method() != QHttpServerRequest::Method::Get || key.isEmpty()
        || request.value("sec-websocket-version").trimmed() != "13") {
        socket->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        socket->flush();
        return;
    }
    // The descriptor leaves QTcpSocket (and QtHttpServer, which then drops
    // its side); from here the connection speaks RFC 6455 through our own
    // transport, registered with this thread's event loop.
    const int fd = ::dup(int(socket->socketDescriptor()));
    if (fd < 0)
        return;
    const QString peer = request.remoteAddress().toString();
    delete socket->findChild<QTimer *>(QLatin1StringView(kIdleTimerName), Qt::FindDirectChildrenOnly);
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
    m_gateway.accept(std::make_unique<NativeWsTransport>(fd, authorization, peer,
                                                         m_services.config.frameLimitBytes));
}

QString HttpServer::clientAddress(const QHttpServerRequest &request) const
{
    const QHostAddress peer = request.remoteAddress();
    for (const QHostAddress &proxy : m_services.config.trustedProxies) {
        if (peer.isEqual(proxy, QHostAddress::TolerantConversion)) {
            const QByteArray real = request.value("x-real-ip").trimmed();
            if (!real.isEmpty())
                return QString::fromLatin1(real);
            const QByteArray forwarded = request.value("x-forwarded-for");
            if (!forwarded.isEmpty())
                return QString::fromLatin1(forwarded.split(',').last().trimmed());
            break;
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
    req.query = qreq.query();
    req.body = qreq.body();
    req.contentType = qreq.value("content-type");
    req.authorization = qreq.value("authorization");
    req.clientAddress = clientAddress(qreq);

    const Route *route = m_router.match(req.method, req.path, req.params);
    auto call = std::make_shared<HttpCall>(m_services, this, socket, slot, std::move(req),
                                           route ? route->pattern : QByteArray("unmatched"));
    if (!route) {
        call->fail(ApiError::notFound(QStringLiteral("no such endpoint")));
        return;
    }
    if (call->request.body.size() > m_services.config.bodyLimitBytes) {
        call->fail({ErrorCode::TooLarge, QStringLiteral("the body is larger than %1 bytes")
                                             .arg(m_services.config.bodyLimitBytes)});
        return;
    }
    const Route *r = route;
    if (!call->request.path.startsWith(u"/api/")) {
        r->handler(call);
        return;
    }
    Services &services = m_services;
    services.rates.take(this, "http:a:" + call->request.clientAddress.toUtf8(),
                        services.config.httpAddressRule, [this, call, r](RateDecision d) {
                            if (!d.allowed) {
                                m_services.metrics.rateLimited.inc();
                                call->fail({ErrorCode::RateLimited,
                                            QStringLiteral("too many requests"),
                                            int(d.retryAfterMs)});
                                return;
                            }
                            authorize(call, r);
                        });
}

void HttpServer::authorize(const CallPtr &call, const Route *r)
{
    if (r->access == Access::Public) {
        r->handler(call);
        return;
    }
    const QString token = bearerToken(call->request.authorization);
    if (token.isEmpty()) {
        call->fail(ApiError::unauthorized(QStringLiteral("a bearer token is required")));
        return;
    }
    Services &services = m_services;
    services.auth.authenticate(this, token, [this, call, r, &services](Authenticator::Outcome outcome,
                                                                       const AuthUser &auth) {
        if (outcome == Authenticator::Outcome::Unavailable) {
            call->fail(ApiError::unavailable(QStringLiteral("cannot check the token now")));
            return;
        }
        if (outcome == Authenticator::Outcome::Invalid) {
            call->fail(ApiError::unauthorized(QStringLiteral("invalid or revoked token")));
            return;
        }
        call->auth = auth;
        services.rates.take(this, "http:u:" + QByteArray::number(auth.user.id),
                            services.config.httpUserRule, [call, r, &services](RateDecision d) {
                                if (!d.allowed) {
                                    services.metrics.rateLimited.inc();
                                    call->fail({ErrorCode::RateLimited,
                                                QStringLiteral("too many requests"),
                                                int(d.retryAfterMs)});
                                    return;
                                }
                                if (r->access == Access::Admin && call->auth.user.role != Role::Admin) {
                                    call->fail(ApiError::forbidden(QStringLiteral("administrators only")));
                                    return;
                                }
                                r->handler(call);
                            });
    });
}

void HttpServer::complete(QTcpSocket *socket, quint64 slot, HttpResponse response)
{
    auto it = m_pipelines.find(socket);
    if (it == m_pipelines.end())
        return; // the connection is gone
    auto &pending = it->second.pending;
    auto p = pending.find(slot);
    if (p == pending.end())
        return;
    p->second.response = std::move(response);
    // Write every response whose turn has come.
    while (!pending.empty() && pending.begin()->second.response) {
        Pending &first = pending.begin()->second;
        write(first.responder, *first.response);
        pending.erase(pending.begin());
    }
}

void HttpServer::write(QHttpServerResponder &responder, const HttpResponse &r)
{
    const auto status = QHttpServerResponder::StatusCode(r.status);
    if (r.body.isEmpty() && r.contentType.isEmpty()) {
        responder.write(status);
        return;
    }
    const QByteArray cacheControl = "no-store";
    if (r.headers.isEmpty()) {
        responder.write(r.body, {{"Content-Type", r.contentType}, {"Cache-Control", cacheControl}},
                        status);
    } else {
        // Only Retry-After is ever added.
        responder.write(r.body,
                        {{"Content-Type", r.contentType},
                         {"Cache-Control", cacheControl},
                         {r.headers.first().first, r.headers.first().second}},
                        status);
    }
}

} // namespace sanayicin
