#pragma once

#include "chat/accounts.h" // AuthUser, as chat/ hands it out
#include "chat/caller.h"
#include "http_types.h"

#include <QJsonObject>
#include <QPointer>
#include <QTcpSocket>
#include <functional>
#include <memory>
#include <optional>

namespace sanayicin {

class HttpServer;
struct HttpDeps;

// One request on its way to a response. Handlers keep it (by shared_ptr)
// across their asynchronous steps; respond() must be called once, on the
// network thread that received the request.
struct HttpCall : std::enable_shared_from_this<HttpCall>
{
    HttpCall(HttpDeps &deps, HttpServer *server, QTcpSocket *socket, quint64 slot,
             HttpRequest request, QByteArray route);

    HttpDeps &deps;
    HttpRequest request;
    QByteArray route; // the route pattern, for metrics
    AuthUser auth;    // set for routes that need a user

    void respond(HttpResponse response);
    void fail(const ApiError &error) { respond(HttpResponse::error(error)); }

    // The body as a JSON object; on failure responds 400 and returns nullopt.
    std::optional<QJsonObject> jsonBody();

    // The caller of chat/ use cases: answers come back to this thread.
    chat::Caller caller() const { return {context(), context(), nullptr}; }

    QObject *context() const;
    // True once the client's connection (or its server) is gone. Callable
    // from any thread (it checks weak pointers): work queued for a client
    // that left is dropped before it costs anything.
    bool clientGone() const { return m_socket.isNull() || m_server.isNull(); }

private:
    QPointer<HttpServer> m_server;
    QPointer<QTcpSocket> m_socket;
    quint64 m_slot;
    bool m_responded = false;

};

using CallPtr = std::shared_ptr<HttpCall>;

} // namespace sanayicin
