#include "maintenance_jobs.h"

#include "logging/log.h"
#include "storage/account_store.h"
#include "storage/db.h"
#include "time/clock.h"

namespace sanayicin::jobs {

const QString MaintenanceJobs::kQueue = QStringLiteral("maintenance");

MaintenanceJobs::MaintenanceJobs(DatabaseUrl database, Settings settings)
    : m_database(std::move(database)), m_settings(settings)
{}

MaintenanceJobs::~MaintenanceJobs() = default;

Db *MaintenanceJobs::db(QString &error)
{
    if (!m_db)
        m_db = Db::connect(m_database, QStringLiteral("jobs"), error);
    return m_db.get();
}

QHash<QString, JobHandler> MaintenanceJobs::handlers()
{
    return {{QStringLiteral("sessions.purge"),
             [this](const Job &job, std::function<void(JobResult)> finish) {
                 purgeSessions(job, finish);
             }}};
}

QList<Scheduler::Periodic> MaintenanceJobs::periodic() const
{
    return {{kQueue, QStringLiteral("sessions.purge"), m_settings.purgeIntervalMs}};
}

void MaintenanceJobs::purgeSessions(const Job &, const std::function<void(JobResult)> &finish)
{
    QString error;
    Db *database = db(error);
    if (!database) {
        finish({JobOutcome::Retry, QStringLiteral("no database connection")});
        return;
    }
    try {
        const qint64 n = store::deleteExpiredSessions(*database, nowMs());
        qCInfo(lcJobs) << "sessions.purge: deleted" << n << "expired sessions";
        finish({JobOutcome::Done, {}});
    } catch (const DbError &e) {
        qCWarning(lcJobs).noquote() << "sessions.purge:" << e.what();
        finish({JobOutcome::Retry, QStringLiteral("database error")});
    }
}

} // namespace sanayicin::jobs
