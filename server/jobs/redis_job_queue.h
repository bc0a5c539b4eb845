#pragma once

#include "job_queue.h"

#include <QObject>
#include <memory>

namespace sanayicin {
class Mailbox;
class RedisConnection;
class RedisScripts;
}

namespace sanayicin::jobs {

// The job queue on Redis Streams, one stream per queue with the consumer
// group "workers" (keys under sanayicin:jobs:<queue>: `stream`, `delayed`
// (a sorted set of job ids by due time: backoff and notBefore), `job:<id>`
// (a hash: type, payload, attempt, enqueued, dedupe key, last error),
// `dead` (the dead-letter stream), `dedupe:<key>`, `seq`, `outcomes`).
// Every step that must be atomic is one Lua script (resources/redis/jobs_*).
// Lives on the thread of `connection`.
class RedisJobQueue : public QObject, public JobQueue
{
public:
    explicit RedisJobQueue(RedisConnection &connection, QObject *parent = nullptr);
    ~RedisJobQueue() override;

    void enqueue(JobSpec spec, std::function<void(bool ok, QString id)> done = {}) override;

    void claim(const QString &queue, const QString &consumer, int max,
               std::function<void(std::optional<QList<ClaimedJob>>)> done) override;
    void finish(const ClaimedJob &claimed, const QString &consumer, const JobResult &result,
                std::function<void(std::optional<Finished>)> done) override;
    void hold(const QString &queue, const QString &consumer, bool keep, const QList<ClaimedJob> &jobs,
              std::function<void(bool ok)> done) override;
    void stats(const QString &queue, std::function<void(std::optional<QueueStats>)> done) override;
    void deadLetters(const QString &queue, int max,
                     std::function<void(std::optional<QList<DeadLetter>>)> done) override;
    void resolveDeadLetter(const QString &queue, const QString &id, bool retry,
                           std::function<void(std::optional<bool>)> done) override;
    void lease(const QString &name, const QString &holder, qint64 ttlMs, bool give,
               std::function<void(std::optional<bool>)> done) override;
    void enqueueScheduled(JobSpec spec, const QString &lease, const QString &holder,
                          const QString &schedule, qint64 slot,
                          std::function<void(std::optional<bool>)> done) override;

private:
    // The enqueue script's answer: the id, "" (a duplicate), "fenced", or
    // nullopt (no answer).
    void runEnqueue(const JobSpec &spec, const QList<QByteArray> &fence,
                    std::function<void(std::optional<QString>)> done);

    RedisConnection &m_connection;
    std::unique_ptr<RedisScripts> m_scripts;
    std::shared_ptr<Mailbox> m_home; // for enqueue() from other threads
};

} // namespace sanayicin::jobs
