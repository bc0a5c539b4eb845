#include "http_call.h"

#include "app/server_metrics.h"
#include "app/services.h"
#include "http_server.h"
#include "logging/log.h"
#include "protocol/http_bodies.h"
#include "storage/db_pool.h"
#include "time/clock.h"

namespace sanayicin {

HttpCall::HttpCall(Services &s, HttpServer *server, QTcpSocket *socket, quint64 slot,
                   HttpRequest req, QByteArray routePattern)
    : services(s), request(std::move(req)), route(std::move(routePattern)), m_server(server)
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
    services.metrics.countHttp(route, response.status,
                               double(steadyNs() - request.startNs) / 1e9);
    if (m_server)
        m_server->complete(m_socket, m_slot, std::move(response));
}

void HttpCall::failDb(const DbError &error)
{
    qCWarning(lcHttp).noquote() << route << "database error:" << error.what();
    if (error.kind() == DbError::Kind::Connection)
        fail(ApiError::unavailable(QStringLiteral("the database is unavailable; try again")));
    else
        fail(ApiError::internal());
}

std::optional<QJsonObject> HttpCall::jsonBody()
{
    QString error;
    auto body = decodeJsonObject(request.contentType, request.body, error);
    if (!body)
        fail(ApiError::badRequest(error));
    return body;
}

void HttpCall::query(std::function<HttpResponse(Db &)> work)
{
    auto self = shared_from_this();
    services.readers.run<HttpResponse>(
        context(), std::move(work), [self](HttpResponse r) { self->respond(std::move(r)); },
        [self](const DbError &e) { self->failDb(e); });
}

} // namespace sanayicin
