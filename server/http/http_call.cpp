#include "http_call.h"

#include "http_deps.h"
#include "http_server.h"
#include "metrics/server_metrics.h"
#include "protocol/http_bodies.h"
#include "time/clock.h"

namespace sanayicin {

HttpCall::HttpCall(HttpDeps &d, HttpServer *server, QTcpSocket *socket, quint64 slot,
                   HttpRequest req, QByteArray routePattern)
    : deps(d), request(std::move(req)), route(std::move(routePattern)), m_server(server)
    , m_socket(socket), m_slot(slot)
{}

QObject *HttpCall::context() const
{
    return m_server.data();
}

void HttpCall::respond(HttpResponse response)
{
    if (m_responded)
        return;
    m_responded = true;
    deps.metrics.countHttp(route, response.status, double(steadyNs() - request.startNs) / 1e9);
    if (m_server)
        m_server->complete(m_socket, m_slot, std::move(response));
}

std::optional<QJsonObject> HttpCall::jsonBody()
{
    QString error;
    auto body = decodeJsonObject(request.contentType, request.body, error);
    if (!body)
        fail(ApiError::badRequest(error));
    return body;
}

} // namespace sanayicin
