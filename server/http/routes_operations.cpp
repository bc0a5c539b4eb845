// GET /healthz, /readyz, /metrics (outside /api/v1).

#include "chat/accounts.h"
#include "http_call.h"
#include "http_deps.h"
#include "json/json_writer.h"
#include "metrics/server_metrics.h"
#include "operations_status.h"
#include "router.h"
#include "routes.h"

#include <QCryptographicHash>
#include <QTimer>

namespace sanayicin {

namespace {

constexpr int kReadyTimeoutMs = 2000;

void healthz(const CallPtr &call)
{
    call->respond(HttpResponse::json(200, "{\"status\":\"ok\"}"));
}

HttpResponse notReady(const QStringList &down)
{
    QByteArray out;
    JsonWriter w(out);
    w.beginObject().key("error").beginObject().key("code").utf8("unavailable");
    w.field("message", down.join(QStringLiteral(", ")) + QStringLiteral(" not answering"));
    w.endObject().key("down").beginArray();
    for (const QString &d : down)
        w.value(d);
    w.endArray().endObject();
    return HttpResponse::json(503, out);
}

void readyz(const CallPtr &call)
{
    OperationsStatus &status = call->deps.operations;
    if (status.draining()) {
        call->respond(notReady({QStringLiteral("instance (shutting down)")}));
        return;
    }
    const bool hasRedis = status.hasRedis();
    auto answered = std::make_shared<bool>(false);
    // The database is asked at most once per --readyz-interval-ms for all
    // requests; Redis' state is read as the answer goes out.
    status.checkDatabase(call->context(), [call, hasRedis, answered, &status](bool dbUp) {
        *answered = true;
        const bool redisUp = status.redisUp();
        QStringList down;
        if (!dbUp)
            down << QStringLiteral("database");
        if (hasRedis && !redisUp)
            down << QStringLiteral("redis");
        if (!down.isEmpty()) {
            call->respond(notReady(down));
            return;
        }
        QByteArray body = "{\"status\":\"ok\",\"checks\":{\"database\":\"ok\"";
        if (hasRedis)
            body += ",\"redis\":\"ok\"";
        body += "}}";
        call->respond(HttpResponse::json(200, body));
    });
    // A database that hangs must not hang the probe.
    if (!*answered)
        QTimer::singleShot(kReadyTimeoutMs, call->context(),
                           [call] { call->respond(notReady({QStringLiteral("database")})); });
}

bool isLoopback(const QString &address)
{
    return QHostAddress(address).isLoopback();
}

// Compares digests, so the time taken says nothing about the token.
bool sameSecret(const QString &given, const QString &expected)
{
    const QByteArray a = QCryptographicHash::hash(given.toUtf8(), QCryptographicHash::Sha256);
    const QByteArray b = QCryptographicHash::hash(expected.toUtf8(), QCryptographicHash::Sha256);
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

// Activity figures are for operators: on the public listener (when there
// is no operations listener) only to loopback clients, not to what a proxy
// forwards (even for a client on the proxy's own host); with
// --metrics-token, only with that bearer token.
void metrics(const CallPtr &call)
{
    if (!call->request.operations
        && (call->request.forwarded || !isLoopback(call->request.clientAddress))) {
        call->fail(ApiError::notFound(QStringLiteral("no such endpoint")));
        return;
    }
    const QString &token = call->deps.settings.metricsToken;
    if (!token.isEmpty()
        && !sameSecret(chat::Accounts::bearerToken(call->request.authorization), token)) {
        call->fail(ApiError::unauthorized(QStringLiteral("the metrics token is required")));
        return;
    }
    HttpResponse r;
    r.status = 200;
    r.contentType = "text/plain; version=0.0.4; charset=utf-8";
    r.body = call->deps.metrics.registry.render();
    call->respond(std::move(r));
}

} // namespace

void addOperationsRoutes(Router &r, bool withMetrics)
{
    r.add(HttpMethod::Get, "/healthz", Access::Public, healthz);
    r.add(HttpMethod::Get, "/readyz", Access::Public, readyz);
    if (withMetrics)
        r.add(HttpMethod::Get, "/metrics", Access::Public, metrics);
}

} // namespace sanayicin
