// The maintenance jobs' handlers on SQLite and PostgreSQL (a fresh migrated
// database each): sessions.purge, messages.retention in bounded runs that
// keep reported and recent messages, stats.rollup counted per UTC day and
// the same when run again.

#include "jobs/maintenance_jobs.h"
#include "storage_test.h"
#include "time/clock.h"

using namespace sanayicin;
using namespace sanayicin::jobs;
using namespace sanayicin::test;

namespace {

constexpr qint64 kDayMs = 24LL * 3600 * 1000;

} // namespace

class tst_MaintenanceJobs : public StorageTest
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data() { addDialectRows(); }
    void initTestCase() { initSanayicinResources(); }
    void init() { QVERIFY(openDatabase()); }
    void cleanup() { m_db.reset(); }
    void purgeDeletesExpiredSessionsOnly();
    void retentionDeletesOldMessagesInBoundedRuns();
    void retentionIsOffByDefault();
    void rollupCountsEachDayOnce();

private:
    JobResult run(MaintenanceJobs &jobs, const QString &type);
    // `n` messages from `sender` in `conversation`, created at `at`, ids
    // from `firstId` on.
    void addMessages(qint64 firstId, int n, qint64 conversation, qint64 sender, qint64 at);
    std::unique_ptr<MaintenanceJobs> jobsWith(MaintenanceJobs::Settings settings);
};

std::unique_ptr<MaintenanceJobs> tst_MaintenanceJobs::jobsWith(MaintenanceJobs::Settings settings)
{
    QString error;
    const auto url = DatabaseUrl::parse(m_url, m_dir.path(), error);
    return url ? std::make_unique<MaintenanceJobs>(*url, settings) : nullptr;
}

JobResult tst_MaintenanceJobs::run(MaintenanceJobs &jobs, const QString &type)
{
    JobResult out{JobOutcome::Fail, QStringLiteral("no answer")};
    Job job;
    job.id = QStringLiteral("1");
    job.queue = MaintenanceJobs::kQueue;
    job.type = type;
    job.payload = "{}";
    const auto handler = jobs.handlers().value(type);
    if (handler)
        handler(job, [&out](JobResult r) { out = r; }); // these answer at once
    return out;
}

void tst_MaintenanceJobs::addMessages(qint64 firstId, int n, qint64 conversation, qint64 sender, qint64 at)
{
    rawQuery(db(),
             "WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i + 1 < $2) "
             "INSERT INTO messages (id, conversation_id, seq, sender_id, client_msg_id, body, created_at) "
             "SELECT $1 + i, $3, $1 + i, $4, 'c' || ($1 + i), 'hello', $5 FROM k",
             {firstId, qint64(n), conversation, sender, at});
}

void tst_MaintenanceJobs::purgeDeletesExpiredSessionsOnly()
{
    const qint64 user = addUser(db(), QStringLiteral("purged"));
    const qint64 now = nowMs();
    rawQuery(db(), "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES "
                    "('old', $1, 1, 2), ('live', $1, 1, $2)",
             {user, now + kDayMs});
    auto jobs = jobsWith({});
    QVERIFY(jobs);
    QCOMPARE(run(*jobs, QStringLiteral("sessions.purge")).outcome, JobOutcome::Done);
    QCOMPARE(scalar(db(), "SELECT COUNT(*) FROM sessions WHERE token_hash = 'old'"), qint64(0));
    QCOMPARE(scalar(db(), "SELECT COUNT(*) FROM sessions WHERE token_hash = 'live'"), qint64(1));
    // Again: nothing more to do, still done.
    QCOMPARE(run(*jobs, QStringLiteral("sessions.purge")).outcome, JobOutcome::Done);
    QCOMPARE(scalar(db(), "SELECT COUNT(*) FROM sessions"), qint64(1));
}

void tst_MaintenanceJobs::retentionDeletesOldMessagesInBoundedRuns()
{
    const qint64 now = nowMs();
    const qint64 sender = addUser(db(), QStringLiteral("sender"));
    const qint64 reporter = addUser(db(), QStringLiteral("reporter"));
    const qint64 c1 = openedByBoth(db(), sender, reporter, now);
    // 2,500 messages 40 days old, then 10 from 5 days ago, then 5 of now.
    addMessages(1, 2500, c1, sender, now - 40 * kDayMs);
    addMessages(2501, 10, c1, sender, now - 5 * kDayMs);
    addMessages(2511, 5, c1, reporter, now);
    rawQuery(db(), "INSERT INTO reports (message_id, reporter_id, reason, created_at) VALUES (7, $1, 'spam', 1)",
             {reporter});

    MaintenanceJobs::Settings s;
    s.retentionDays = 30;
    s.batch = 1000;
    s.batchesPerRun = 2; // 2,000 messages a run
    auto jobs = jobsWith(s);
    QCOMPARE(run(*jobs, QStringLiteral("messages.retention")).outcome, JobOutcome::Done);
    // 2,000 of the old ones, from the oldest, past the reported message 7.
    QCOMPARE(scalar(db(), "SELECT COUNT(*) FROM messages"), qint64(2515 - 2000));
    QCOMPARE(scalar(db(), "SELECT MIN(id) FROM messages WHERE id <> 7"), qint64(2002));
    QCOMPARE(run(*jobs, QStringLiteral("messages.retention")).outcome, JobOutcome::Done);
    QCOMPARE(scalar(db(), "SELECT COUNT(*) FROM messages"), qint64(16));
    QCOMPARE(scalar(db(), "SELECT MIN(id) FROM messages"), qint64(7));
    QCOMPARE(scalar(db(), "SELECT COUNT(*) FROM messages WHERE id > 2500"), qint64(15));
    // Nothing older is left: a third run deletes nothing.
    QCOMPARE(run(*jobs, QStringLiteral("messages.retention")).outcome, JobOutcome::Done);
    QCOMPARE(scalar(db(), "SELECT COUNT(*) FROM messages"), qint64(16));
}

void tst_MaintenanceJobs::retentionIsOffByDefault()
{
    const qint64 sender = addUser(db(), QStringLiteral("keeper"));
    const qint64 other = addUser(db(), QStringLiteral("other"));
    addMessages(1, 3, openedByBoth(db(), sender, other, 1000), sender, 1000); // 1970
    auto jobs = jobsWith({});
    bool scheduled = false;
    for (const Scheduler::Periodic &p : jobs->periodic())
        scheduled = scheduled || p.type == u"messages.retention";
    QVERIFY(!scheduled);
    // A job left from before the setting changed does nothing.
    QCOMPARE(run(*jobs, QStringLiteral("messages.retention")).outcome, JobOutcome::Done);
    QCOMPARE(scalar(db(), "SELECT COUNT(*) FROM messages"), qint64(3));
}

void tst_MaintenanceJobs::rollupCountsEachDayOnce()
{
    const qint64 now = nowMs();
    const qint64 today = now / kDayMs * kDayMs;
    const qint64 a = addUser(db(), QStringLiteral("user_a"));
    const qint64 b = addUser(db(), QStringLiteral("user_b"));
    const qint64 c = addUser(db(), QStringLiteral("user_c"));
    const qint64 ab = openedByBoth(db(), a, b, now);
    const qint64 bc = openedByBoth(db(), b, c, now);
    const qint64 ac = openedByBoth(db(), a, c, now);
    addMessages(1, 4, ab, a, today - kDayMs - 1);   // the day before yesterday: not rolled up
    addMessages(5, 3, ab, a, today - kDayMs);       // yesterday's first millisecond
    addMessages(8, 2, bc, b, today - 1);            // yesterday's last
    addMessages(10, 6, ac, a, today);               // today
    addMessages(16, 1, ac, c, std::max(today, now - 1));
    auto jobs = jobsWith({});
    for (int round = 0; round < 2; ++round) {
        QCOMPARE(run(*jobs, QStringLiteral("stats.rollup")).outcome, JobOutcome::Done);
        QCOMPARE(scalar(db(), "SELECT COUNT(*) FROM daily_stats"), qint64(2));
        const DbRows y = rawQuery(db(), "SELECT messages, active_users, conversations FROM daily_stats WHERE day = $1",
                                  {today - kDayMs});
        QCOMPARE(y.size(), 1);
        QCOMPARE(y.int64(0, 0), qint64(5));
        QCOMPARE(y.int64(0, 1), qint64(2));
        QCOMPARE(y.int64(0, 2), qint64(2));
        const DbRows t = rawQuery(db(), "SELECT messages, active_users, conversations FROM daily_stats WHERE day = $1",
                                  {today});
        QCOMPARE(t.size(), 1);
        QCOMPARE(t.int64(0, 0), qint64(7));
        QCOMPARE(t.int64(0, 1), qint64(2));
        QCOMPARE(t.int64(0, 2), qint64(1));
    }
}

QTEST_GUILESS_MAIN(tst_MaintenanceJobs)
#include "tst_maintenance_jobs.moc"
