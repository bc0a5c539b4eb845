#pragma once

#include "job.h"
#include "scheduler.h"
#include "storage/database_url.h"

#include <QHash>
#include <memory>

namespace sanayicin {
class Db;
}

namespace sanayicin::jobs {

// The scheduler's own jobs, on the queue "maintenance":
//   sessions.purge      deletes sessions past their expiry (store::deleteExpiredSessions).
//   messages.retention  deletes messages older than --retention-days (off at 0),
//                       in batches, a bounded number a run; a reported message
//                       is kept. Each batch lowers the unread counts by the
//                       deleted messages their owners had not read, in the
//                       batch's transaction, under the message writers' lock.
//   stats.rollup        counts yesterday's and today's messages, senders and
//                       conversations into daily_stats (one row a UTC day).
// Each is idempotent: running one twice changes nothing more. They run on
// the worker's thread with a database connection of their own, opened on
// first use and again after an error.
class MaintenanceJobs
{
public:
    struct Settings
    {
        qint64 purgeIntervalMs = 10 * 60000;
        int retentionDays = 0; // 0: messages are kept for ever
        qint64 retentionIntervalMs = 3600000;
        qint64 rollupIntervalMs = 3600000;
        int batch = 1000;         // messages a retention statement deletes
        int batchesPerRun = 1000; // the rest waits for the next run
    };

    MaintenanceJobs(DatabaseUrl database, Settings settings);
    ~MaintenanceJobs();

    static const QString kQueue;

    // type -> handler, for Worker::addHandler.
    QHash<QString, JobHandler> handlers();
    // What the scheduler puts on the queue, and how often.
    QList<Scheduler::Periodic> periodic() const;

private:
    Db *db(QString &error);
    void purgeSessions(const Job &job, const std::function<void(JobResult)> &finish);
    void applyRetention(const Job &job, const std::function<void(JobResult)> &finish);
    void rollUpStats(const Job &job, const std::function<void(JobResult)> &finish);
    // Runs `work` on the connection; a database error is a Retry.
    void withDb(const char *what, const std::function<void(JobResult)> &finish,
                const std::function<void(Db &)> &work);

    DatabaseUrl m_database;
    Settings m_settings;
    std::unique_ptr<Db> m_db;
};

} // namespace sanayicin::jobs
