#pragma once

#include "bridge/admin_wire.h"
#include "caller.h"
#include "chat_deps.h"
#include "delivery/connection_host.h"
#include "outcome.h"
#include "protocol/objects.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <functional>

namespace sanayicin {
class AdminFeed;
}

namespace sanayicin::chat {

// What the console lists for administrators: the instances, this
// instance's connections and queues, the totals (reports: Moderation).
class Administration
{
public:
    explicit Administration(ChatDeps &deps) : m_deps(deps) {}

    // Each instance's summary as it published it (JSON objects), this one's
    // first and fresh; without a bridge (or with it down) this one's only.
    using InstancesDone = std::function<void(Outcome<QList<QByteArray>>)>;
    void instances(const Caller &caller, InstancesDone done);

    // Whether each instance answered a cluster-wide question in time.
    struct InstanceState
    {
        QString id;
        bool ok = true; // false: it did not answer before the deadline
    };

    // Every live instance's connections (through Redis; this one's alone
    // without), filtered, sorted and paged as `query` says.
    struct ConnectionPage
    {
        QString instance;                  // the one that answers
        QList<admin::ConnectionRow> items; // the page, each naming its instance
        qint64 total = 0;                  // all that match, on the instances that answered
        QList<InstanceState> instances;    // this one first
    };
    using ConnectionsDone = std::function<void(Outcome<ConnectionPage>)>;
    void connections(const Caller &caller, const admin::ConnectionQuery &query, ConnectionsDone done);

    // A job queue (server/jobs), the same for every instance.
    struct JobQueueRow
    {
        QString name;
        qint64 waiting = 0, pending = 0, oldestAgeMs = 0, deadLetters = 0;
        qint64 done = 0, retried = 0, dead = 0;
    };
    struct Queues
    {
        QString instance;
        QList<std::pair<QString, admin::QueueRow>> items; // (instance, queue), this one's first
        bool redis = false;
        bool redisConnected = false; // meaningful with redis only
        QList<InstanceState> instances;
        QString jobsBackend; // "redis" or "embedded"; empty: no job queues
        QList<JobQueueRow> jobs;
    };
    using QueuesDone = std::function<void(Outcome<Queues>)>;
    void queues(const Caller &caller, QueuesDone done);

    // One instance's series, or the cluster's (`instance` == "cluster":
    // rates, connections and backlog summed, latency percentiles the
    // largest of the instances'). Empty `instance`: this one.
    struct Series
    {
        QString instance;
        qint64 stepS = 1;
        QList<StatsPoint> points;
        QList<InstanceState> instances; // who answered (the cluster's)
    };
    using SeriesDone = std::function<void(Outcome<Series>)>;
    void series(const Caller &caller, const QString &instance, qint64 windowS, qint64 stepS,
                SeriesDone done);

    // Closes one connection (4000, as a kick) on whichever instance holds
    // it, and writes it in the moderation log ("kick_connection").
    using StatusDone = std::function<void(Outcome<Nothing>)>;
    void kickConnection(const Caller &caller, qint64 actor, const QString &instance,
                        qint64 connectionId, StatusDone done);

    // A job queue's dead letters, oldest first (at most `limit`).
    struct DeadLetterRow
    {
        QString id, jobId, type, error;
        int attempts = 0;
        qint64 diedAtMs = 0;
    };
    using DeadLettersDone = std::function<void(Outcome<QList<DeadLetterRow>>)>;
    void deadLetters(const Caller &caller, const QString &queue, int limit, DeadLettersDone done);
    // Retries (back on its queue with all its attempts) or drops one dead
    // letter: an admin action (the administrator's budget, the moderation
    // log's "retry_job" / "drop_job" with "<queue> <id>" as its reason).
    void resolveDeadLetter(const Caller &caller, qint64 actor, const QString &queue,
                           const QString &id, bool retry, StatusDone done);

    // This instance's answer to another instance's question (ClusterQueries'
    // Local); `done` runs on `home`'s thread.
    void answerHere(const admin::Request &request, QObject *home,
                    std::function<void(admin::Reply)> done);

    // This instance's admin stream (docs/protocol.md "Admin stream"), which
    // an admin WebSocket attaches to once authenticated; thread-safe.
    AdminFeed &stream() const;

    struct Stats
    {
        qint64 customers = 0, tradesmen = 0, admins = 0, banned = 0;
        qint64 conversations = 0, messages = 0, messagesLast24h = 0, openReports = 0;
        qint64 connectionsHere = 0, onlineUsersHere = 0;
    };
    using StatsDone = std::function<void(Outcome<Stats>)>;
    void stats(const Caller &caller, StatsDone done);

private:
    // This instance's answer and the others', together on the caller's thread.
    struct Gathered
    {
        admin::Reply here;
        QList<admin::Reply> others;
        QList<InstanceState> instances;
        bool targetUnknown = false;
    };
    void gather(const Caller &caller, admin::Request request, std::function<void(Gathered)> done);
    // kickConnection once the budget allowed it.
    void kickConnectionNow(const Caller &caller, qint64 actor, const QString &instance,
                           qint64 connectionId, StatusDone done);

    ChatDeps &m_deps;
};

} // namespace sanayicin::chat
