// What the console shows: instances, connections, queues, reports, stats.
// Shapes are documented in docs/protocol.md ("Administration listings").

#include "app/daemon_config.h"
#include "app/server_metrics.h"
#include "app/services.h"
#include "bridge/shared_state.h"
#include "delivery/connection_host.h"
#include "delivery/delivery_service.h"
#include "delivery/hub.h"
#include "http_call.h"
#include "json/json_writer.h"
#include "query_params.h"
#include "router.h"
#include "routes.h"
#include "storage/db_pool.h"
#include "storage/message_writer.h"
#include "storage/row_readers.h"
#include "time/clock.h"
#include "time/rfc3339.h"

#include <QJsonDocument>
#include <limits>

namespace sanayicin {

namespace {

constexpr qint64 kListMax = 500;

void instances(const CallPtr &call)
{
    Services &s = call->services;
    const QByteArray self = s.instanceSummary();
    auto respond = [call](const QList<QByteArray> &summaries) {
        QByteArray out = "{\"items\":[";
        for (qsizetype i = 0; i < summaries.size(); ++i) {
            if (i)
                out += ',';
            out += summaries[i];
        }
        out += "]}";
        call->respond(HttpResponse::json(200, out));
    };
    SharedState *shared = s.delivery.shared();
    if (!shared || !s.delivery.bridgeUp()) {
        respond({self});
        return;
    }
    shared->instances(call->context(), [respond, self](QList<QByteArray> all) {
        // This instance's own line is the freshest; the others' are at most
        // one heartbeat old.
        const QByteArray selfId = QJsonDocument::fromJson(self).object().value(QStringLiteral("id")).toString().toUtf8();
        QList<QByteArray> out{self};
        for (const QByteArray &line : all)
            if (QJsonDocument::fromJson(line).object().value(QStringLiteral("id")).toString().toUtf8() != selfId)
                out << line;
        respond(out);
    });
}

void connections(const CallPtr &call)
{
    const auto limit = queryNumber(call, "limit", 100, kListMax);
    if (!limit)
        return;
    const auto offset = queryNumber(call, "offset", 0, std::numeric_limits<qint64>::max() / 2);
    if (!offset)
        return;
    const QString instance = call->services.config.instanceId;
    call->services.hub.gatherConnections(
        call->context(), [call, limit = *limit, offset = *offset, instance](QList<ConnectionSummary> all) {
            std::sort(all.begin(), all.end(),
                      [](const ConnectionSummary &a, const ConnectionSummary &b) { return a.id < b.id; });
            QByteArray out;
            JsonWriter w(out);
            w.beginObject().field("instance", instance).key("items").beginArray();
            for (qint64 i = offset; i < all.size() && i < offset + limit; ++i) {
                const ConnectionSummary &c = all[qsizetype(i)];
                w.beginObject().field("id", c.id).field("user_id", c.userId);
                w.field("username", c.username).field("address", c.address);
                w.key("opened_at").utf8(formatRfc3339Ms(c.openedAtMs));
                w.field("authenticated", c.authenticated).field("unsent_bytes", c.pendingBytes);
                w.endObject();
            }
            w.endArray().field("total", qint64(all.size())).endObject();
            call->respond(HttpResponse::json(200, out));
        });
}

void queues(const CallPtr &call)
{
    Services &s = call->services;
    QByteArray out;
    JsonWriter w(out);
    w.beginObject().field("instance", s.config.instanceId);
    w.key("items").beginArray();
    auto item = [&w](const char *name, qint64 depth, const char *what) {
        w.beginObject().key("name").utf8(name).field("depth", depth).key("holds").utf8(what).endObject();
    };
    item("writer", s.writer.backlog(), "sends and read cursors waiting for the group commit");
    item("db_readers", s.readers.queueDepth(), "database reads waiting for a connection");
    w.endArray();
    w.field("redis", s.delivery.hasBridge());
    if (s.delivery.hasBridge())
        w.field("redis_connected", s.delivery.bridgeUp());
    w.endObject();
    call->respond(HttpResponse::json(200, out));
}

void reports(const CallPtr &call)
{
    const auto limit = queryNumber(call, "limit", 50, kListMax);
    if (!limit)
        return;
    const auto offset = queryNumber(call, "offset", 0, std::numeric_limits<qint64>::max() / 2);
    if (!offset)
        return;
    call->query([limit = *limit, offset = *offset](Db &db) {
        const DbRows rows = db.query(QStringLiteral("report_list"), {limit, offset});
        const qint64 total = db.query(QStringLiteral("report_count")).int64(0, 0);
        QByteArray out;
        JsonWriter w(out);
        w.beginObject().key("items").beginArray();
        for (int r = 0; r < rows.size(); ++r) {
            w.beginObject().field("id", rows.int64(r, 0)).field("reason", rows.text(r, 1));
            w.key("created_at").utf8(formatRfc3339Ms(rows.int64(r, 2)));
            w.field("resolved", !rows.isNull(r, 3));
            w.key("message");
            writeMessage(w, readMessage(rows, r, 4));
            w.key("reporter");
            writeUser(w, readUser(rows, r, 12));
            w.endObject();
        }
        w.endArray().field("total", total).endObject();
        return HttpResponse::json(200, out);
    });
}

void stats(const CallPtr &call)
{
    Services &s = call->services;
    const qint64 connections = s.metrics.wsConnections.value();
    const qint64 onlineHere = s.hub.usersOnlineHere();
    call->query([connections, onlineHere](Db &db) {
        const DbRows r = db.query(QStringLiteral("stats"), {nowMs() - 24LL * 3600 * 1000});
        QByteArray out;
        JsonWriter w(out);
        w.beginObject().key("users").beginObject();
        w.field("customer", r.int64(0, 0)).field("tradesman", r.int64(0, 1)).field("admin", r.int64(0, 2));
        w.field("banned", r.int64(0, 3)).endObject();
        w.field("conversations", r.int64(0, 4)).field("messages", r.int64(0, 5));
        w.field("messages_last_24h", r.int64(0, 6)).field("open_reports", r.int64(0, 7));
        w.field("connections_here", connections).field("online_users_here", onlineHere);
        w.endObject();
        return HttpResponse::json(200, out);
    });
}

} // namespace

void addAdminListingRoutes(Router &r)
{
    r.add(HttpMethod::Get, "/api/v1/admin/instances", Access::Admin, instances);
    r.add(HttpMethod::Get, "/api/v1/admin/connections", Access::Admin, connections);
    r.add(HttpMethod::Get, "/api/v1/admin/queues", Access::Admin, queues);
    r.add(HttpMethod::Get, "/api/v1/admin/reports", Access::Admin, reports);
    r.add(HttpMethod::Get, "/api/v1/admin/stats", Access::Admin, stats);
}

} // namespace sanayicin
