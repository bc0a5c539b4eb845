#include "administration.h"

#include "jobs/job_admin.h"

#include "admin_events.h"
#include "bridge/shared_state.h"
#include "budgets.h"
#include "db_outcome.h"
#include "delivery/admin_feed.h"
#include "delivery/cluster_queries.h"
#include "delivery/delivery_service.h"
#include "delivery/hub.h"
#include "jobs/job_admin.h"
#include "logging/log.h"
#include "metrics/metrics.h"
#include "metrics/stats_history.h"
#include "storage/account_store.h"
#include "storage/db_pool.h"
#include "storage/message_writer.h"
#include "time/clock.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>

namespace sanayicin::chat {

namespace {

constexpr int kKickedClose = 4000; // as a kick (moderation.cpp)
// A heartbeat (every 2 s) older than this: the instance is listed "stale".
constexpr qint64 kInstanceStaleMs = 5000;

QString idOf(const QByteArray &summary)
{
    return QJsonDocument::fromJson(summary).object().value(QStringLiteral("id")).toString();
}

} // namespace

void Administration::instances(const Caller &caller, InstancesDone done)
{
    const QByteArray self = m_deps.instanceSummary ? m_deps.instanceSummary() : QByteArray("{}");
    SharedState *shared = m_deps.delivery.shared();
    if (!shared || !m_deps.delivery.bridgeUp()) {
        done(QList<QByteArray>{self});
        return;
    }
    shared->instances(caller.home, [ref = CallerRef(caller), self,
                                    done = std::move(done)](QList<SharedState::InstanceLine> all) {
        if (!ref.live())
            return;
        // This instance's own line is the freshest; the others' are at most
        // one heartbeat old, unless the instance stalls: then it is stale.
        const QString selfId = idOf(self);
        QList<QByteArray> out{self};
        for (const SharedState::InstanceLine &line : all)
            if (idOf(line.summary) != selfId)
                out << (line.ageMs > kInstanceStaleMs
                            ? AdminFeed::withState(line.summary, QStringLiteral("stale"))
                            : line.summary);
        done(out);
    });
}

void Administration::gather(const Caller &caller, admin::Request request,
                            std::function<void(Gathered)> done)
{
    // Both halves answer on the caller's thread; whichever comes second
    // finishes (on that thread, so no lock).
    struct Join
    {
        Gathered g;
        int waiting = 2;
        std::function<void(Gathered)> done;
        void one()
        {
            if (--waiting == 0)
                done(std::move(g));
        }
    };
    auto join = std::make_shared<Join>();
    join->done = [ref = CallerRef(caller), done = std::move(done)](Gathered g) {
        if (ref.live())
            done(std::move(g));
    };
    join->g.instances << InstanceState{m_deps.instanceId, true};
    const bool askHere = request.target.isEmpty() || request.target == m_deps.instanceId;
    const bool askOthers = request.target != m_deps.instanceId;
    if (askHere)
        answerHere(request, caller.home, [join](admin::Reply r) {
            join->g.here = std::move(r);
            join->one();
        });
    else
        join->one();
    if (!askOthers) {
        join->one();
        return;
    }
    // Without Redis no other instance exists; with Redis down they cannot be
    // reached (a named one is then unavailable, not unknown).
    const bool noRedis = !m_deps.delivery.hasBridge();
    m_deps.delivery.cluster().ask(
        std::move(request), caller.home, [join, noRedis](ClusterQueries::Result r) {
            QList<InstanceState> others;
            for (const admin::Reply &reply : std::as_const(r.replies))
                others << InstanceState{reply.from, true};
            for (const QString &id : std::as_const(r.timedOut))
                others << InstanceState{id, false};
            std::sort(others.begin(), others.end(),
                      [](const InstanceState &a, const InstanceState &b) { return a.id < b.id; });
            join->g.instances += others;
            join->g.others = std::move(r.replies);
            join->g.targetUnknown = r.targetUnknown || noRedis;
            join->one();
        });
}

void Administration::answerHere(const admin::Request &request, QObject *home,
                                std::function<void(admin::Reply)> done)
{
    admin::Reply reply;
    reply.ask = request.ask;
    reply.from = m_deps.instanceId;
    switch (request.ask) {
    case admin::Ask::Connections:
        m_deps.hub.gatherConnections(
            home, [instance = m_deps.instanceId, query = request.connections, reply,
                   done = std::move(done)](QList<ConnectionSummary> all) mutable {
                QList<admin::ConnectionRow> rows;
                rows.reserve(all.size());
                for (const ConnectionSummary &c : std::as_const(all))
                    rows << admin::ConnectionRow{c.id,         c.userId,          c.username,
                                                 c.address,    c.openedAtMs,      c.authenticated,
                                                 c.pendingBytes, instance};
                reply.rows = admin::firstRows(std::move(rows), query, reply.total);
                done(std::move(reply));
            });
        return;
    case admin::Ask::Queues:
        reply.queues << admin::QueueRow{QStringLiteral("writer"), m_deps.writer.backlog(),
                                        m_deps.writer.oldestWaitMs()}
                     << admin::QueueRow{QStringLiteral("db_readers"), m_deps.readers.queueDepth(),
                                        std::nullopt};
        break;
    case admin::Ask::Series:
        if (m_deps.stats)
            reply.points = m_deps.stats->series(nowMs() / 1000, request.windowS, request.stepS);
        break;
    case admin::Ask::Kick:
        m_deps.hub.local().closeConnectionHere(
            home, request.connectionId, kKickedClose, QStringLiteral("kicked"),
            [reply, done = std::move(done)](std::optional<qint64> user) mutable {
                reply.found = user.has_value();
                reply.userId = user.value_or(0);
                done(std::move(reply));
            });
        return;
    }
    done(std::move(reply));
}

void Administration::connections(const Caller &caller, const admin::ConnectionQuery &query,
                                 ConnectionsDone done)
{
    admin::Request request;
    request.ask = admin::Ask::Connections;
    request.connections = query;
    // Each instance answers the first offset+limit rows in order: the page
    // lies within their union.
    request.connections.offset = 0;
    request.connections.limit = query.offset + query.limit;
    // An instance filter asks only that instance.
    request.target = query.instance;
    gather(caller, std::move(request),
           [instance = m_deps.instanceId, query, done = std::move(done)](Gathered g) {
               ConnectionPage page{instance, {}, 0, g.instances};
               QList<QList<admin::ConnectionRow>> parts{g.here.rows};
               page.total = g.here.total;
               for (const admin::Reply &r : std::as_const(g.others)) {
                   parts << r.rows;
                   page.total += r.total;
               }
               page.items = admin::mergePage(parts, query);
               done(std::move(page));
           });
}

void Administration::queues(const Caller &caller, QueuesDone done)
{
    admin::Request request;
    request.ask = admin::Ask::Queues;
    const bool redis = m_deps.delivery.hasBridge();
    const bool redisUp = redis && m_deps.delivery.bridgeUp();
    QString jobsBackend;
    QList<JobQueueRow> jobRows;
    if (m_deps.jobAdmin) {
        jobsBackend = m_deps.jobAdmin->backend();
        for (const jobs::JobAdmin::Queue &q : m_deps.jobAdmin->queues())
            jobRows << JobQueueRow{q.name, q.stats.waiting, q.stats.pending, q.stats.oldestAgeMs,
                                   q.stats.deadLetters, q.stats.done, q.stats.retried, q.stats.dead};
    }
    gather(caller, std::move(request),
           [instance = m_deps.instanceId, redis, redisUp, jobsBackend, jobRows,
            done = std::move(done)](Gathered g) {
               Queues q{instance, {}, redis, redisUp, g.instances, jobsBackend, jobRows};
               for (const admin::QueueRow &row : std::as_const(g.here.queues))
                   q.items << std::make_pair(instance, row);
               for (const admin::Reply &r : std::as_const(g.others))
                   for (const admin::QueueRow &row : r.queues)
                       q.items << std::make_pair(r.from, row);
               done(std::move(q));
           });
}

void Administration::series(const Caller &caller, const QString &instance, qint64 windowS,
                            qint64 stepS, SeriesDone done)
{
    admin::Request request;
    request.ask = admin::Ask::Series;
    request.windowS = windowS;
    request.stepS = stepS;
    const bool cluster = instance == QLatin1StringView("cluster");
    request.target = cluster || instance.isEmpty() ? QString() : instance;
    if (instance.isEmpty())
        request.target = m_deps.instanceId;
    gather(caller, std::move(request),
           [cluster, name = instance.isEmpty() ? m_deps.instanceId : instance, self = m_deps.instanceId,
            stepS, done = std::move(done)](Gathered g) {
               if (!cluster && name != self && g.others.isEmpty()) {
                   if (g.targetUnknown)
                       done(ApiError::notFound(QStringLiteral("no such instance")));
                   else
                       done(ApiError::unavailable(QStringLiteral("the instance did not answer in time")));
                   return;
               }
               Series s{name, stepS, {}, g.instances};
               if (!cluster) {
                   s.points = name == self ? g.here.points : g.others.first().points;
                   s.instances = {InstanceState{name, true}};
                   done(std::move(s));
                   return;
               }
               QList<QList<StatsPoint>> parts{g.here.points};
               for (const admin::Reply &r : std::as_const(g.others))
                   parts << r.points;
               s.points = sumBySecond(parts);
               done(std::move(s));
           });
}

void Administration::kickConnection(const Caller &caller, qint64 actor, const QString &instance,
                                    qint64 connectionId, StatusDone done)
{
    if (connectionId > admin::kMaxId) { // connection ids count from 1 per instance
        done(ApiError::notFound(QStringLiteral("no such connection")));
        return;
    }
    // An admin action like a ban: the administrator's own budget first.
    spendAdminAction(
        m_deps, caller, actor,
        [this, caller, actor, instance, connectionId, done] {
            kickConnectionNow(caller, actor, instance, connectionId, done);
        },
        [done](ApiError e) { done(std::move(e)); });
}

void Administration::kickConnectionNow(const Caller &caller, qint64 actor, const QString &instance,
                                       qint64 connectionId, StatusDone done)
{
    admin::Request request;
    request.ask = admin::Ask::Kick;
    request.target = instance;
    request.connectionId = connectionId;
    DbPool &readers = m_deps.readers;
    gather(caller, std::move(request),
           [&readers, events = m_deps.adminEvents, caller, actor, instance, connectionId,
            self = m_deps.instanceId, done = std::move(done)](Gathered g) {
               const admin::Reply *answer = instance == self ? &g.here : nullptr;
               for (const admin::Reply &r : std::as_const(g.others))
                   if (r.from == instance)
                       answer = &r;
               if (!answer) {
                   if (g.targetUnknown)
                       done(ApiError::notFound(QStringLiteral("no such connection")));
                   else
                       done(ApiError::unavailable(QStringLiteral("the instance did not answer in time")));
                   return;
               }
               if (!answer->found) {
                   done(ApiError::notFound(QStringLiteral("no such connection")));
                   return;
               }
               const qint64 user = answer->userId;
               qCInfo(lcApp).noquote() << "connection" << connectionId << "on" << instance
                                       << "kicked by" << actor;
               readOutcome<Nothing>(
                   readers, caller, "kick connection",
                   [events, actor, user](Db &db) -> Status {
                       announceLogEntry(events,
                                        db,
                                        store::logModeration(db, actor,
                                                             QStringLiteral("kick_connection"),
                                                             user, 0, {}, nowMs()));
                       return Nothing{};
                   },
                   std::move(done));
           });
}

AdminFeed &Administration::stream() const
{
    return m_deps.delivery.adminFeed();
}

void Administration::deadLetters(const Caller &caller, const QString &queue, int limit,
                                 DeadLettersDone done)
{
    if (!m_deps.jobAdmin || !jobs::isValidQueueName(queue)) {
        done(ApiError::notFound(QStringLiteral("no such queue")));
        return;
    }
    m_deps.jobAdmin->deadLetters(
        queue, limit, caller.object, [done](std::optional<QList<jobs::DeadLetter>> dead) {
            if (!dead) {
                done(ApiError::unavailable(QStringLiteral("the job queue did not answer")));
                return;
            }
            QList<DeadLetterRow> rows;
            for (const jobs::DeadLetter &d : std::as_const(*dead))
                rows << DeadLetterRow{d.id, d.jobId, d.type, d.error, d.attempts, d.diedAtMs};
            done(rows);
        });
}

void Administration::resolveDeadLetter(const Caller &caller, qint64 actor, const QString &queue,
                                       const QString &id, bool retry, StatusDone done)
{
    if (!m_deps.jobAdmin || !jobs::isValidQueueName(queue) || !jobs::isValidDeadLetterId(id)) {
        done(ApiError::notFound(QStringLiteral("no such dead letter")));
        return;
    }
    spendAdminAction(
        m_deps, caller, actor,
        [this, caller, actor, queue, id, retry, done] {
            DbPool &readers = m_deps.readers;
            m_deps.jobAdmin->resolveDeadLetter(
                queue, id, retry, caller.object,
                [&readers, events = m_deps.adminEvents, caller, actor, queue, id, retry,
                 done](std::optional<bool> found) {
                    if (!found) {
                        done(ApiError::unavailable(QStringLiteral("the job queue did not answer")));
                        return;
                    }
                    if (!*found) {
                        done(ApiError::notFound(QStringLiteral("no such dead letter")));
                        return;
                    }
                    const QString action = retry ? QStringLiteral("retry_job") : QStringLiteral("drop_job");
                    qCInfo(lcApp).noquote() << "dead letter" << id << "of" << queue << action << "by" << actor;
                    readOutcome<Nothing>(
                        readers, caller, "resolve dead letter",
                        [events, actor, action, queue, id](Db &db) -> Status {
                            announceLogEntry(events, db,
                                             store::logModeration(db, actor, action, 0, 0,
                                                                  queue + QLatin1Char(' ') + id, nowMs()));
                            return Nothing{};
                        },
                        std::move(done));
                });
        },
        [done](ApiError e) { done(std::move(e)); });
}

void Administration::stats(const Caller &caller, StatsDone done)
{
    // This instance's figures as the request came; the totals from the database.
    const qint64 connections = m_deps.wsConnections.value();
    const qint64 onlineHere = m_deps.hub.usersOnlineHere();
    readOutcome<Stats>(
        m_deps.readers, caller, "stats",
        [connections, onlineHere](Db &db) -> Outcome<Stats> {
            const DbRows r = db.query(QStringLiteral("stats"), {nowMs() - 24LL * 3600 * 1000});
            return Stats{r.int64(0, 0), r.int64(0, 1), r.int64(0, 2), r.int64(0, 3),
                         r.int64(0, 4), r.int64(0, 5), r.int64(0, 6), r.int64(0, 7),
                         connections,   onlineHere};
        },
        std::move(done));
}

} // namespace sanayicin::chat
