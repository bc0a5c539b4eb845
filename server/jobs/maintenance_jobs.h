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
//   sessions.purge  deletes sessions past their expiry (store::deleteExpiredSessions).
// Each is idempotent: running one twice changes nothing more. They run on
// the worker's thread with a database connection of their own, opened on
// first use and again after an error.
class MaintenanceJobs
{
public:
    struct Settings
    {
        qint64 purgeIntervalMs = 10 * 60000;
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

    DatabaseUrl m_database;
    Settings m_settings;
    std::unique_ptr<Db> m_db;
};

} // namespace sanayicin::jobs
