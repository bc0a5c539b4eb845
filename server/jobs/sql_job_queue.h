#pragma once

#include "job_queue.h"
#include "storage/database_url.h"

#include <QObject>
#include <memory>

namespace sanayicin {
class Db;
class Mailbox;
}

namespace sanayicin::jobs {

// The embedded job queue: rows of the table `jobs` (migration 0008) in the
// daemon's database, SQLite or PostgreSQL, with the same rules as the Redis
// one. A worker holds a row while its lease (lease_owner, lease_until) has
// not expired; a claim takes rows whose lease has (UPDATE ... WHERE
// lease_until <= now; on PostgreSQL with FOR UPDATE SKIP LOCKED). Done rows
// are deleted, dead ones kept with state 'dead'. It lives on one thread
// with a database connection of its own and answers there at once (the
// thread blocks on the database: give it one of its own).
class SqlJobQueue : public QObject, public JobQueue
{
public:
    // On the thread the queue will live on; nullptr and `error` when the
    // database cannot be opened.
    static std::unique_ptr<SqlJobQueue> open(const DatabaseUrl &url, QString &error);
    ~SqlJobQueue() override;

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
    explicit SqlJobQueue(std::unique_ptr<Db> db);
    // The new row's id, "" for a duplicate; throws DbError.
    QString insert(const JobSpec &spec, qint64 now);
    void countOutcome(const QString &queue, const char *outcome);

    std::unique_ptr<Db> m_db;
    std::shared_ptr<Mailbox> m_home;
};

} // namespace sanayicin::jobs
