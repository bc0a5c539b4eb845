// What the console shows: instances, connections, queues, stats (reports:
// routes_moderation.cpp).
// Shapes are documented in docs/protocol.md ("Administration listings").

#include "chat/chat.h"
#include "http_call.h"
#include "http_deps.h"
#include "json/json_writer.h"
#include "query_params.h"
#include "router.h"
#include "routes.h"
#include "time/rfc3339.h"

#include <limits>

namespace sanayicin {

namespace {

constexpr qint64 kListMax = 500;

// limit and offset of a listing; nullopt once a 400 went out.
std::optional<std::pair<qint64, qint64>> page(const CallPtr &call, qint64 defaultLimit)
{
    return queryPage(call, defaultLimit, kListMax);
}

// The outcome's error, or 200 with what `render` writes of its value.
template<typename T, typename Render>
void respond(const CallPtr &call, const chat::Outcome<T> &outcome, Render render)
{
    if (!outcome.ok()) {
        call->fail(outcome.error());
        return;
    }
    QByteArray out;
    JsonWriter w(out);
    render(w, outcome.value());
    call->respond(HttpResponse::json(200, out));
}

void instances(const CallPtr &call)
{
    call->deps.chat.administration.instances(
        call->caller(), [call](chat::Outcome<QList<QByteArray>> summaries) {
            if (!summaries.ok()) {
                call->fail(summaries.error());
                return;
            }
            // Each summary is a JSON object already.
            QByteArray out = "{\"items\":[";
            for (qsizetype i = 0; i < summaries.value().size(); ++i) {
                if (i)
                    out += ',';
                out += summaries.value()[i];
            }
            out += "]}";
            call->respond(HttpResponse::json(200, out));
        });
}

void connections(const CallPtr &call)
{
    const auto p = page(call, 100);
    if (!p)
        return;
    using Page = chat::Administration::ConnectionPage;
    call->deps.chat.administration.connections(
        call->caller(), p->first, p->second, [call](chat::Outcome<Page> listed) {
            respond(call, listed, [](JsonWriter &w, const Page &page) {
                w.beginObject().field("instance", page.instance).key("items").beginArray();
                for (const ConnectionSummary &c : page.items) {
                    w.beginObject().field("id", c.id).field("user_id", c.userId);
                    w.field("username", c.username).field("address", c.address);
                    w.key("opened_at").utf8(formatRfc3339Ms(c.openedAtMs));
                    w.field("authenticated", c.authenticated).field("unsent_bytes", c.pendingBytes);
                    w.endObject();
                }
                w.endArray().field("total", page.total).endObject();
            });
        });
}

void queues(const CallPtr &call)
{
    const chat::Administration::Queues q = call->deps.chat.administration.queues();
    QByteArray out;
    JsonWriter w(out);
    w.beginObject().field("instance", q.instance);
    w.key("items").beginArray();
    auto item = [&w](const char *name, qint64 depth, const char *what) {
        w.beginObject().key("name").utf8(name).field("depth", depth).key("holds").utf8(what).endObject();
    };
    item("writer", q.writer, "sends and read cursors waiting for the group commit");
    item("db_readers", q.dbReaders, "database reads waiting for a connection");
    w.endArray();
    w.field("redis", q.redis);
    if (q.redis)
        w.field("redis_connected", q.redisConnected);
    w.endObject();
    call->respond(HttpResponse::json(200, out));
}

void stats(const CallPtr &call)
{
    using Stats = chat::Administration::Stats;
    call->deps.chat.administration.stats(call->caller(), [call](chat::Outcome<Stats> s) {
        respond(call, s, [](JsonWriter &w, const Stats &s) {
            w.beginObject().key("users").beginObject();
            w.field("customer", s.customers).field("tradesman", s.tradesmen).field("admin", s.admins);
            w.field("banned", s.banned).endObject();
            w.field("conversations", s.conversations).field("messages", s.messages);
            w.field("messages_last_24h", s.messagesLast24h).field("open_reports", s.openReports);
            w.field("connections_here", s.connectionsHere).field("online_users_here", s.onlineUsersHere);
            w.endObject();
        });
    });
}

} // namespace

void addAdminListingRoutes(Router &r)
{
    r.add(HttpMethod::Get, "/api/v1/admin/instances", Access::Admin, instances);
    r.add(HttpMethod::Get, "/api/v1/admin/connections", Access::Admin, connections);
    r.add(HttpMethod::Get, "/api/v1/admin/queues", Access::Admin, queues);
    r.add(HttpMethod::Get, "/api/v1/admin/stats", Access::Admin, stats);
}

} // namespace sanayicin
