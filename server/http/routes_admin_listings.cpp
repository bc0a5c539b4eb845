// What the console shows: instances, connections, queues, stats (reports:
// routes_moderation.cpp).
// Shapes are documented in docs/protocol.md ("Administration listings").

#include "chat/chat.h"
#include "http_call.h"
#include "http_deps.h"
#include "json/json_writer.h"
#include "metrics/stats_point.h"
#include "query_params.h"
#include "router.h"
#include "routes.h"
#include "text/text_rules.h"
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

using InstanceStates = QList<chat::Administration::InstanceState>;

void writeInstances(JsonWriter &w, const InstanceStates &instances)
{
    w.key("instances").beginArray();
    for (const auto &i : instances)
        w.beginObject().field("id", i.id).key("state").utf8(i.ok ? "ok" : "timeout").endObject();
    w.endArray();
}

// A text filter of the query string: at most kFilterMax characters.
std::optional<QString> queryText(const CallPtr &call, const char *name)
{
    constexpr qsizetype kFilterMax = 256;
    const QString v = call->request.queryValue(name);
    if (v.size() > kFilterMax) {
        call->fail(ApiError::badRequest(QStringLiteral("%1 must be at most %2 characters")
                                            .arg(QLatin1StringView(name))
                                            .arg(kFilterMax)));
        return std::nullopt;
    }
    return v;
}

// The connection listing's query; nullopt once a 400 went out.
std::optional<admin::ConnectionQuery> connectionQuery(const CallPtr &call)
{
    admin::ConnectionQuery q;
    const auto p = page(call, 100);
    if (!p)
        return std::nullopt;
    q.limit = p->first;
    q.offset = p->second;
    if (q.offset > admin::kMaxOffset) {
        call->fail(ApiError::badRequest(
            QStringLiteral("offset must be at most %1 (filter instead)").arg(admin::kMaxOffset)));
        return std::nullopt;
    }
    const auto user = queryNumber(call, "user_id", 0, std::numeric_limits<qint64>::max());
    if (!user)
        return std::nullopt;
    if (*user > admin::kMaxId) { // no such user can exist, and Redis could not carry it
        call->fail(ApiError::badRequest(QStringLiteral("user_id is too large")));
        return std::nullopt;
    }
    q.userId = *user;
    const auto username = queryText(call, "username");
    const auto instance = username ? queryText(call, "instance") : std::nullopt;
    const auto address = instance ? queryText(call, "address") : std::nullopt;
    if (!address)
        return std::nullopt;
    q.usernamePrefix = foldForSearch(*username);
    q.instance = *instance;
    q.addressPrefix = *address;
    if (call->request.hasQuery("sort")) {
        const auto key = admin::sortKeyFromName(call->request.queryValue("sort"));
        if (!key) {
            call->fail(ApiError::badRequest(QStringLiteral(
                "sort must be id, opened_at, unsent_bytes, username or instance")));
            return std::nullopt;
        }
        q.sort = *key;
    }
    const QString order = call->request.queryValue("order");
    if (call->request.hasQuery("order") && order != u"asc" && order != u"desc") {
        call->fail(ApiError::badRequest(QStringLiteral("order must be asc or desc")));
        return std::nullopt;
    }
    q.descending = order == u"desc";
    return q;
}

void connections(const CallPtr &call)
{
    const auto query = connectionQuery(call);
    if (!query)
        return;
    using Page = chat::Administration::ConnectionPage;
    call->deps.chat.administration.connections(
        call->caller(), *query, [call](chat::Outcome<Page> listed) {
            respond(call, listed, [](JsonWriter &w, const Page &page) {
                w.beginObject().field("instance", page.instance).key("items").beginArray();
                for (const admin::ConnectionRow &c : page.items)
                    admin::writeConnection(w, c);
                w.endArray().field("total", page.total);
                writeInstances(w, page.instances);
                w.endObject();
            });
        });
}

const char *queueHolds(const QString &name)
{
    if (name == u"writer")
        return "sends and read cursors waiting for the group commit";
    if (name == u"db_readers")
        return "database reads waiting for a connection";
    return "work waiting";
}

void queues(const CallPtr &call)
{
    using Queues = chat::Administration::Queues;
    call->deps.chat.administration.queues(call->caller(), [call](chat::Outcome<Queues> listed) {
        respond(call, listed, [](JsonWriter &w, const Queues &q) {
            w.beginObject().field("instance", q.instance);
            w.key("items").beginArray();
            for (const auto &[instance, row] : q.items) {
                w.beginObject().field("name", row.name).field("depth", row.depth);
                w.key("holds").utf8(queueHolds(row.name)).field("instance", instance);
                w.key("oldest_age_ms");
                if (row.oldestAgeMs)
                    w.value(*row.oldestAgeMs);
                else
                    w.null();
                w.endObject();
            }
            w.endArray();
            w.field("redis", q.redis);
            if (q.redis)
                w.field("redis_connected", q.redisConnected);
            writeInstances(w, q.instances);
            w.field("jobs_backend", q.jobsBackend);
            w.key("jobs").beginArray();
            for (const auto &j : q.jobs) {
                w.beginObject().field("name", j.name).field("waiting", j.waiting);
                w.field("pending", j.pending).field("oldest_age_ms", j.oldestAgeMs);
                w.field("dead_letters", j.deadLetters).field("done", j.done);
                w.field("retried", j.retried).field("dead", j.dead).endObject();
            }
            w.endArray();
            w.endObject();
        });
    });
}

void series(const CallPtr &call)
{
    const bool hasWindow = call->request.hasQuery("window_s");
    const auto window = queryNumber(call, "window_s", 600, std::numeric_limits<qint64>::max());
    if (!window)
        return;
    if (hasWindow && (*window < 10 || *window > 3600)) {
        call->fail(ApiError::badRequest(QStringLiteral("window_s must be 10 to 3600")));
        return;
    }
    const auto step = queryNumber(call, "step_s", *window <= 600 ? 1 : 10, 10);
    if (!step)
        return;
    if (*step != 1 && *step != 5 && *step != 10) {
        call->fail(ApiError::badRequest(QStringLiteral("step_s must be 1, 5 or 10")));
        return;
    }
    const auto instance = queryText(call, "instance");
    if (!instance)
        return;
    using Series = chat::Administration::Series;
    call->deps.chat.administration.series(
        call->caller(), *instance, *window, *step, [call](chat::Outcome<Series> s) {
            respond(call, s, [](JsonWriter &w, const Series &s) {
                w.beginObject().field("instance", s.instance).field("step_s", s.stepS);
                w.key("points").beginArray();
                for (const StatsPoint &p : s.points)
                    writeStatsPoint(w, p);
                w.endArray();
                writeInstances(w, s.instances);
                w.endObject();
            });
        });
}

void kickConnection(const CallPtr &call)
{
    call->deps.chat.administration.kickConnection(
        call->caller(), call->auth.user.id, call->request.params.value(0),
        call->request.idParam(1), [call](chat::Status s) {
            if (s.ok())
                call->respond(HttpResponse::noContent());
            else
                call->fail(s.error());
        });
}

void deadLetters(const CallPtr &call)
{
    const auto limit = queryNumber(call, "limit", 100, 1000);
    if (!limit)
        return;
    using Rows = QList<chat::Administration::DeadLetterRow>;
    call->deps.chat.administration.deadLetters(
        call->caller(), call->request.params.value(0), int(*limit), [call](chat::Outcome<Rows> rows) {
            respond(call, rows, [](JsonWriter &w, const Rows &rows) {
                w.beginObject().key("items").beginArray();
                for (const auto &d : rows) {
                    w.beginObject().field("id", d.id).field("job_id", d.jobId).field("type", d.type);
                    w.field("attempts", qint64(d.attempts)).field("error", d.error);
                    w.key("died_at").utf8(formatRfc3339Ms(d.diedAtMs)).endObject();
                }
                w.endArray().endObject();
            });
        });
}

void resolveDeadLetter(const CallPtr &call, bool retry)
{
    call->deps.chat.administration.resolveDeadLetter(
        call->caller(), call->auth.user.id, call->request.params.value(0),
        call->request.params.value(1), retry, [call](chat::Status s) {
            if (s.ok())
                call->respond(HttpResponse::noContent());
            else
                call->fail(s.error());
        });
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
    r.add(HttpMethod::Delete, "/api/v1/admin/connections/{instance}/{id}", Access::Admin,
          kickConnection);
    r.add(HttpMethod::Get, "/api/v1/admin/queues", Access::Admin, queues);
    r.add(HttpMethod::Get, "/api/v1/admin/queues/{queue}/dead", Access::Admin, deadLetters);
    r.add(HttpMethod::Post, "/api/v1/admin/queues/{queue}/dead/{entry}/retry", Access::Admin,
          [](const CallPtr &call) { resolveDeadLetter(call, true); });
    r.add(HttpMethod::Delete, "/api/v1/admin/queues/{queue}/dead/{entry}", Access::Admin,
          [](const CallPtr &call) { resolveDeadLetter(call, false); });
    r.add(HttpMethod::Get, "/api/v1/admin/stats/series", Access::Admin, series);
    r.add(HttpMethod::Get, "/api/v1/admin/stats", Access::Admin, stats);
}

} // namespace sanayicin
