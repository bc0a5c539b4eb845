#pragma once

#include "http_types.h"

#include <QAbstractHttpServer>
#include <QHash>
#include <QHttpServerResponder>
#include <QTcpServer>
#include <map>
#include <memory>
#include <unordered_map>
#include <optional>

namespace sanayicin {

class Router;
struct Route;
struct HttpCall;
class WsGateway;
struct Services;

// One network thread's HTTP server: QtHttpServer parses, we route. Requests
// may be answered later (after a database round trip); responses on one
// connection still go out in request order, as HTTP/1.1 pipelining needs.
class HttpServer : public QAbstractHttpServer
{
    Q_OBJECT
public:
    HttpServer(Services &services, const Router &router, WsGateway &gateway,
               QObject *parent = nullptr);

    // Called by HttpCall::respond on this thread.
    void complete(QTcpSocket *socket, quint64 slot, HttpResponse response);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    struct Pending
    {
        QHttpServerResponder responder;
        std::optional<HttpResponse> response;
    };
    struct Pipeline
    {
        quint64 nextSlot = 0;
        std::map<quint64, Pending> pending; // by slot, oldest first
    };

    void dispatch(const QHttpServerRequest &request, QTcpSocket *socket, quint64 slot);
    void takeOverWebSocket(const QHttpServerRequest &request, QTcpSocket *socket);
    void authorize(const std::shared_ptr<HttpCall> &call, const Route *route);
    QString clientAddress(const QHttpServerRequest &request) const;
    void touch(QTcpSocket *socket);
    static void write(QHttpServerResponder &responder, const HttpResponse &response);

    Services &m_services;
    const Router &m_router;
    WsGateway &m_gateway;
    std::unordered_map<QTcpSocket *, Pipeline> m_pipelines; // QHash needs copyable values
};

// A QTcpServer on an already listening descriptor, which gives every new
// connection an idle timer (QtHttpServer 6.4 has none: see NOTES).
class ListeningServer : public QTcpServer
{
    Q_OBJECT
public:
    ListeningServer(int idleTimeoutMs, QObject *parent = nullptr)
        : QTcpServer(parent), m_idleTimeoutMs(idleTimeoutMs)
    {}

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    int m_idleTimeoutMs;
};

} // namespace sanayicin
