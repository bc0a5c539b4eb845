// GET /healthz, /readyz, /metrics (outside /api/v1).

#include "app/server_metrics.h"
#include "app/services.h"
#include "http_call.h"
#include "json/json_writer.h"
#include "router.h"
#include "routes.h"
#include "delivery/delivery_service.h"
#include "storage/db_pool.h"

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
    if (call->services.draining) {
        call->respond(notReady({QStringLiteral("instance (shutting down)")}));
        return;
    }
    // A database that hangs must not hang the probe.
    QTimer::singleShot(kReadyTimeoutMs, call->context(),
                       [call] { call->respond(notReady({QStringLiteral("database")})); });
    const bool hasRedis = call->services.delivery.hasBridge();
    call->services.readers.run<bool>(
        call->context(), [](Db &db) { return db.ping(); },
        [call, hasRedis](bool dbUp) {
            // Read the bridge's state now, next to the database's answer.
            const bool redisUp = call->services.delivery.bridgeUp();
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
        },
        [call, hasRedis](const DbError &) {
            QStringList down{QStringLiteral("database")};
            if (hasRedis && !call->services.delivery.bridgeUp())
                down << QStringLiteral("redis");
            call->respond(notReady(down));
        });
}

void metrics(const CallPtr &call)
{
    HttpResponse r;
    r.status = 200;
    r.contentType = "text/plain; version=0.0.4; charset=utf-8";
    r.body = call->services.metrics.registry.render();
    call->respond(std::move(r));
}

} // namespace

void addOperationsRoutes(Router &r)
{
    r.add(HttpMethod::Get, "/healthz", Access::Public, healthz);
    r.add(HttpMethod::Get, "/readyz", Access::Public, readyz);
    r.add(HttpMethod::Get, "/metrics", Access::Public, metrics);
}

} // namespace sanayicin
