#include "maintenance_jobs.h"

#include "logging/log.h"
#include "storage/account_store.h"
#include "storage/db.h"
#include "storage/sql_library.h"
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

namespace {

constexpr qint64 kDayMs = 24LL * 3600 * 1000;

// The first message id whose message is from `at` or later, among ids
// [lo, hi]; hi + 1 when none is. Bisection on the primary key: ids are
// given in commit order, so their times rise with them (to within a group
// commit), and no index on the time is needed.
qint64 firstIdFrom(Db &db, qint64 at, qint64 lo, qint64 hi)
{
    qint64 a = lo, b = hi + 1;
    while (a < b) {
        const qint64 mid = a + (b - a) / 2;
        const DbRows r = db.query(QStringLiteral("message_id_at_or_after"), {mid});
        if (r.isEmpty() || r.int64(0, 1) >= at)
            b = mid;
        else
            a = r.int64(0, 0) + 1;
    }
    return a;
}

// The smallest and largest message id; nullopt without messages.
std::optional<std::pair<qint64, qint64>> idBounds(Db &db)
{
    const DbRows r = db.query(QStringLiteral("message_id_bounds"));
    if (r.isEmpty() || r.isNull(0, 0))
        return std::nullopt;
    return std::pair{r.int64(0, 0), r.int64(0, 1)};
}

// Deletes the messages of ids [from, to) older than `cutoff` (not
// reported) and lowers the unread counts by the ones each participant had
// not read, in one transaction: a failure leaves both as they were, and a
// second run finds nothing more to delete or lower. Returns how many went.
qint64 deleteOldWindow(Db &db, qint64 from, qint64 to, qint64 cutoff)
{
    const std::vector<DbValue> window{from, to, cutoff};
    const Dialect d = db.dialect();
    auto step = [d](const char *name, std::vector<DbValue> params) {
        return Db::Step{&sqlStatement(d, QLatin1StringView(name)), std::move(params)};
    };
    // PostgreSQL: the writers' lock, the window's messages, the rows to
    // lower (in that order: see the files), then one statement that deletes
    // and lowers from the rows it deleted. SQLite: BEGIN IMMEDIATE is the
    // lock; the counts are lowered from the window just before its delete.
    const std::vector<Db::Step> steps =
        d == Dialect::Postgres
            ? std::vector<Db::Step>{step("messages_lock_writers", {}),
                                    step("retention_lock_window", window),
                                    step("retention_lock_participants", window),
                                    step("messages_delete_old", window)}
            : std::vector<Db::Step>{step("retention_unread_lower", window),
                                    step("messages_delete_old", window)};
    Transaction tx(db, Transaction::Deferred);
    const std::vector<DbRows> r = db.pipeline(steps, true, true);
    tx.markCommitted();
    return d == Dialect::Postgres ? r.back().int64(0, 0) : r.back().affected();
}

} // namespace

QHash<QString, JobHandler> MaintenanceJobs::handlers()
{
    return {{QStringLiteral("sessions.purge"),
             [this](const Job &job, std::function<void(JobResult)> finish) { purgeSessions(job, finish); }},
            {QStringLiteral("messages.retention"),
             [this](const Job &job, std::function<void(JobResult)> finish) { applyRetention(job, finish); }},
            {QStringLiteral("stats.rollup"),
             [this](const Job &job, std::function<void(JobResult)> finish) { rollUpStats(job, finish); }}};
}

QList<Scheduler::Periodic> MaintenanceJobs::periodic() const
{
    QList<Scheduler::Periodic> out{
        {kQueue, QStringLiteral("sessions.purge"), m_settings.purgeIntervalMs},
        {kQueue, QStringLiteral("stats.rollup"), m_settings.rollupIntervalMs}};
    if (m_settings.retentionDays > 0)
        out.append({kQueue, QStringLiteral("messages.retention"), m_settings.retentionIntervalMs});
    return out;
}

void MaintenanceJobs::withDb(const char *what, const std::function<void(JobResult)> &finish,
                             const std::function<void(Db &)> &work)
{
    QString error;
    Db *database = db(error);
    if (!database) {
        finish({JobOutcome::Retry, QStringLiteral("no database connection")});
        return;
    }
    try {
        work(*database);
        finish({JobOutcome::Done, {}});
    } catch (const DbError &e) {
        qCWarning(lcJobs).noquote() << what << ":" << e.what();
        finish({JobOutcome::Retry, QStringLiteral("database error")});
    }
}

void MaintenanceJobs::purgeSessions(const Job &, const std::function<void(JobResult)> &finish)
{
    withDb("sessions.purge", finish, [](Db &db) {
        const qint64 n = store::deleteExpiredSessions(db, nowMs());
        qCInfo(lcJobs) << "sessions.purge: deleted" << n << "expired sessions";
    });
}

void MaintenanceJobs::applyRetention(const Job &, const std::function<void(JobResult)> &finish)
{
    if (m_settings.retentionDays <= 0) {
        // Scheduled before a restart that turned it off: nothing to do.
        finish({JobOutcome::Done, {}});
        return;
    }
    withDb("messages.retention", finish, [this](Db &db) {
        const qint64 cutoff = nowMs() - qint64(m_settings.retentionDays) * kDayMs;
        const auto bounds = idBounds(db);
        if (!bounds)
            return;
        const qint64 end = firstIdFrom(db, cutoff, bounds->first, bounds->second);
        qint64 deleted = 0;
        qint64 from = bounds->first;
        for (int batches = 0; from < end && batches < m_settings.batchesPerRun; ++batches) {
            const DbRows last = db.query(QStringLiteral("messages_old_window"),
                                         {from, end, cutoff, qint64(m_settings.batch)});
            if (last.isEmpty() || last.isNull(0, 0)) {
                from = end;
                break;
            }
            const qint64 to = last.int64(0, 0) + 1;
            deleted += deleteOldWindow(db, from, to, cutoff);
            from = to;
        }
        qCInfo(lcJobs) << "messages.retention: deleted" << deleted << "messages older than"
                       << m_settings.retentionDays << "days"
                       << (from < end ? "(more at the next run)" : "");
    });
}

void MaintenanceJobs::rollUpStats(const Job &, const std::function<void(JobResult)> &finish)
{
    withDb("stats.rollup", finish, [](Db &db) {
        const qint64 now = nowMs();
        const qint64 today = now / kDayMs * kDayMs;
        const auto bounds = idBounds(db);
        for (const qint64 day : {today - kDayMs, today}) {
            qint64 messages = 0, senders = 0, conversations = 0;
            if (bounds) {
                const qint64 from = firstIdFrom(db, day, bounds->first, bounds->second);
                const qint64 to = firstIdFrom(db, day + kDayMs, bounds->first, bounds->second);
                const DbRows r = db.query(QStringLiteral("daily_stats_count"), {from, to});
                messages = r.int64(0, 0);
                senders = r.int64(0, 1);
                conversations = r.int64(0, 2);
            }
            db.query(QStringLiteral("daily_stats_upsert"), {day, messages, senders, conversations, now});
        }
        qCDebug(lcJobs) << "stats.rollup: yesterday and today counted";
    });
}

} // namespace sanayicin::jobs
