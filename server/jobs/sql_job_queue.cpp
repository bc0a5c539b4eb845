#include "sql_job_queue.h"

#include "home_thread.h"
#include "logging/log.h"
#include "storage/db.h"
#include "threading/mailbox.h"
#include "time/clock.h"

namespace sanayicin::jobs {

namespace {

void logFailure(const char *what, const DbError &e)
{
    qCWarning(lcJobs).noquote() << "job queue:" << what << "failed:" << e.what();
}

} // namespace

std::unique_ptr<SqlJobQueue> SqlJobQueue::open(const DatabaseUrl &url, QString &error)
{
    std::unique_ptr<Db> db = Db::connect(url, QStringLiteral("jobs"), error);
    if (!db)
        return nullptr;
    return std::unique_ptr<SqlJobQueue>(new SqlJobQueue(std::move(db)));
}

SqlJobQueue::SqlJobQueue(std::unique_ptr<Db> db) : m_db(std::move(db)), m_home(Mailbox::here()) {}

SqlJobQueue::~SqlJobQueue() = default;

QString SqlJobQueue::insert(const JobSpec &spec, qint64 now)
{
    const DbRows rows = m_db->query(
        QStringLiteral("jobs_insert"),
        {spec.queue, spec.type, spec.payload, spec.dedupeKey, std::max(now, spec.notBeforeMs), now});
    return rows.isEmpty() ? QString() : QString::number(rows.int64(0, 0));
}

void SqlJobQueue::countOutcome(const QString &queue, const char *outcome)
{
    m_db->query(QStringLiteral("job_outcome_add"), {queue, QString::fromLatin1(outcome)});
}

void SqlJobQueue::enqueue(JobSpec spec, std::function<void(bool ok, QString id)> done)
{
    if (enqueueFromElsewhere(this, m_home, spec, done, [this](JobSpec s, auto d) { enqueue(std::move(s), d); }))
        return;
    try {
        const QString id = insert(spec, nowMs());
        if (done)
            done(true, id);
    } catch (const DbError &e) {
        logFailure("enqueue", e);
        if (done)
            done(false, {});
    }
}

void SqlJobQueue::enqueueScheduled(JobSpec spec, const QString &lease, const QString &holder,
                                   const QString &schedule, qint64 slot,
                                   std::function<void(std::optional<bool>)> done)
{
    try {
        // One transaction: the lease is checked (and on PostgreSQL locked
        // against a takeover) as the slot advances and the job goes in.
        Transaction tx(*m_db);
        const qint64 now = nowMs();
        if (m_db->query(QStringLiteral("job_lease_check"), {lease, holder, now}).isEmpty()
            || m_db->query(QStringLiteral("job_schedule_advance"), {schedule, slot}).isEmpty()) {
            done(false);
            return;
        }
        const bool in = !insert(spec, now).isEmpty();
        tx.commit();
        done(in);
    } catch (const DbError &e) {
        logFailure("scheduled enqueue", e);
        done(std::nullopt);
    }
}

void SqlJobQueue::claim(const QString &queue, const QString &consumer, int max,
                        std::function<void(std::optional<QList<ClaimedJob>>)> done)
{
    try {
        const qint64 now = nowMs();
        const DbRows rows = m_db->query(QStringLiteral("jobs_claim"),
                                        {queue, consumer, now, now + m_policy.visibilityMs, qint64(max)});
        QList<ClaimedJob> out;
        for (int r = 0; r < rows.size(); ++r) {
            ClaimedJob c;
            c.job.id = QString::number(rows.int64(r, 0));
            c.entry = c.job.id;
            c.job.queue = queue;
            c.job.type = rows.text(r, 1);
            c.job.payload = rows.utf8(r, 2);
            c.job.attempt = int(rows.int64(r, 3));
            c.job.enqueuedAtMs = rows.int64(r, 4);
            if (c.job.attempt > m_policy.maxAttempts) {
                // Its workers died on it every time: a poison job.
                m_db->query(QStringLiteral("jobs_bury_lost"),
                            {rows.int64(r, 0), now,
                             QStringLiteral("its worker was lost %1 times").arg(c.job.attempt - 1)});
                countOutcome(queue, "dead");
                continue;
            }
            out << c;
        }
        done(out);
    } catch (const DbError &e) {
        logFailure("claim", e);
        done(std::nullopt);
    }
}

void SqlJobQueue::finish(const ClaimedJob &claimed, const QString &consumer, const JobResult &result,
                         std::function<void(std::optional<Finished>)> done)
{
    const qint64 id = claimed.job.id.toLongLong();
    const qint64 now = nowMs();
    try {
        Transaction tx(*m_db);
        Finished f = Finished::Done;
        qint64 changed = 0;
        if (result.outcome == JobOutcome::Done) {
            changed = m_db->query(QStringLiteral("jobs_done"), {id, consumer}).affected();
        } else if (result.outcome == JobOutcome::Retry && claimed.job.attempt < m_policy.maxAttempts) {
            const qint64 delay = std::min<qint64>(
                m_policy.backoffMaxMs,
                m_policy.backoffBaseMs * (qint64(1) << std::min(claimed.job.attempt - 1, 40)));
            f = Finished::Retried;
            changed = m_db->query(QStringLiteral("jobs_retry"), {id, consumer, now + delay, result.error})
                          .affected();
        } else {
            f = Finished::Dead;
            changed = m_db->query(QStringLiteral("jobs_bury"), {id, consumer, now, result.error}).affected();
        }
        if (changed == 0) {
            done(Finished::NotHeld);
            return;
        }
        countOutcome(claimed.job.queue, f == Finished::Done ? "done" : f == Finished::Retried ? "retried" : "dead");
        tx.commit();
        done(f);
    } catch (const DbError &e) {
        logFailure("finish", e);
        done(std::nullopt);
    }
}

void SqlJobQueue::hold(const QString &, const QString &consumer, bool keep,
                       const QList<ClaimedJob> &jobs, std::function<void(bool)> done)
{
    try {
        const qint64 until = nowMs() + m_policy.visibilityMs;
        for (const ClaimedJob &c : jobs) {
            if (keep)
                m_db->query(QStringLiteral("jobs_keep"), {c.job.id.toLongLong(), consumer, until});
            else
                m_db->query(QStringLiteral("jobs_release"), {c.job.id.toLongLong(), consumer});
        }
        done(true);
    } catch (const DbError &e) {
        logFailure("hold", e);
        done(false);
    }
}

void SqlJobQueue::stats(const QString &queue, std::function<void(std::optional<QueueStats>)> done)
{
    try {
        const qint64 now = nowMs();
        const DbRows rows = m_db->query(QStringLiteral("jobs_stats"), {queue, now});
        QueueStats s;
        s.waiting = rows.int64(0, 0);
        s.pending = rows.int64(0, 1);
        s.oldestAgeMs = rows.isNull(0, 2) ? 0 : std::max<qint64>(0, now - rows.int64(0, 2));
        s.deadLetters = rows.int64(0, 3);
        const DbRows totals = m_db->query(QStringLiteral("job_outcomes"), {queue});
        for (int r = 0; r < totals.size(); ++r) {
            const QString outcome = totals.text(r, 0);
            qint64 &slot = outcome == u"done" ? s.done : outcome == u"retried" ? s.retried : s.dead;
            slot = totals.int64(r, 1);
        }
        done(s);
    } catch (const DbError &e) {
        logFailure("stats", e);
        done(std::nullopt);
    }
}

void SqlJobQueue::deadLetters(const QString &queue, int max,
                              std::function<void(std::optional<QList<DeadLetter>>)> done)
{
    try {
        const DbRows rows = m_db->query(QStringLiteral("jobs_dead_list"), {queue, qint64(max)});
        QList<DeadLetter> out;
        for (int r = 0; r < rows.size(); ++r) {
            DeadLetter d;
            d.id = QString::number(rows.int64(r, 0));
            d.jobId = d.id;
            d.type = rows.text(r, 1);
            d.attempts = int(rows.int64(r, 2));
            d.error = rows.text(r, 3);
            d.diedAtMs = rows.isNull(r, 4) ? 0 : rows.int64(r, 4);
            out << d;
        }
        done(out);
    } catch (const DbError &e) {
        logFailure("dead letters", e);
        done(std::nullopt);
    }
}

void SqlJobQueue::resolveDeadLetter(const QString &queue, const QString &id, bool retry,
                                    std::function<void(std::optional<bool>)> done)
{
    bool ok = false;
    const qint64 row = id.toLongLong(&ok);
    if (!ok || row <= 0) {
        done(false);
        return;
    }
    try {
        const qint64 changed =
            retry ? m_db->query(QStringLiteral("jobs_dead_retry"), {queue, row, nowMs()}).affected()
                  : m_db->query(QStringLiteral("jobs_dead_drop"), {queue, row}).affected();
        done(changed > 0);
    } catch (const DbError &e) {
        logFailure("dead letter", e);
        done(std::nullopt);
    }
}

void SqlJobQueue::lease(const QString &name, const QString &holder, qint64 ttlMs, bool give,
                        std::function<void(std::optional<bool>)> done)
{
    try {
        if (give) {
            m_db->query(QStringLiteral("job_lease_give"), {name, holder});
            done(false);
            return;
        }
        const qint64 now = nowMs();
        done(!m_db->query(QStringLiteral("job_lease_hold"), {name, holder, now + ttlMs, now}).isEmpty());
    } catch (const DbError &e) {
        logFailure("lease", e);
        done(std::nullopt);
    }
}

} // namespace sanayicin::jobs
