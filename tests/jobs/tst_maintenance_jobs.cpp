// The maintenance jobs' handlers on SQLite and PostgreSQL (a fresh migrated
// database each): sessions.purge, messages.retention in bounded runs that
// keep reported and recent messages and leave every unread count equal to a
// fresh count of what is left (also with a group commit in flight beside
// it), stats.rollup counted per UTC day and the same when run again.

#include "jobs/maintenance_jobs.h"
#include "storage/message_batch.h"
#include "storage/message_store.h"
#include "storage_test.h"
#include "time/clock.h"

#include <QThread>
#include <atomic>

using namespace sanayicin;
using namespace sanayicin::jobs;
using namespace sanayicin::test;

namespace {

constexpr qint64 kDayMs = 24LL * 3600 * 1000;

// Every participant's stored unread count beside a fresh count of its unread
// messages (as read_cursor_advance counts them), as "conversation/user:
// stored=fresh" lines, so that a mismatch shows which one.
QStringList unreadStoredAndFresh(Db &db)
{
    const DbRows r = rawQuery(
        db, "SELECT p.conversation_id, p.user_id, p.unread_count, "
            "(SELECT COUNT(*) FROM messages m WHERE m.conversation_id = p.conversation_id "
            "AND m.seq > p.last_read_seq AND m.sender_id <> p.user_id AND m.deleted_at IS NULL) "
            "FROM participants p ORDER BY p.conversation_id, p.user_id");
    QStringList out;
    for (int i = 0; i < r.size(); ++i)
        out << QStringLiteral("%1/%2: %3=%4")
                   .arg(r.int64(i, 0)).arg(r.int64(i, 1)).arg(r.int64(i, 2)).arg(r.int64(i, 3));
    return out;
}

// The lines of unreadStoredAndFresh whose two numbers differ.
QStringList unreadMismatches(Db &db)
{
    QStringList out;
    for (const QString &line : unreadStoredAndFresh(db)) {
        const QStringList counts = line.section(u' ', 1).split(u'=');
        if (counts.value(0) != counts.value(1))
            out << line;
    }
    return out;
}

qint64 unreadOf(Db &db, qint64 conversation, qint64 user)
{
    return scalar(db, "SELECT unread_count FROM participants WHERE conversation_id = $1 AND user_id = $2",
                  {conversation, user});
}

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
    void retentionKeepsUnreadCountsTrue();
    void retentionBesideAGroupCommitInFlight();
    void rollupCountsEachDayOnce();

private:
    JobResult run(MaintenanceJobs &jobs, const QString &type);
    // `n` messages from `sender` in `conversation`, created at `at`, ids
    // from `firstId` on.
    void addMessages(qint64 firstId, int n, qint64 conversation, qint64 sender, qint64 at);
    // `n` messages from `sender` stored by the group commit as of `at`
    // (which keeps the unread counts); returns the last one.
    Message send(int n, qint64 conversation, qint64 sender, qint64 at);
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

Message tst_MaintenanceJobs::send(int n, qint64 conversation, qint64 sender, qint64 at)
{
    static int counter = 0;
    std::vector<store::PendingSend> sends;
    for (int i = 0; i < n; ++i)
        sends.push_back({sender, conversation, QStringLiteral("m%1").arg(++counter), QStringLiteral("hi")});
    const auto stored = store::storeMessageBatch(db(), sends, at);
    return stored.back().message;
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

// Old messages go, some of them unread: every participant's unread count
// must come down by exactly the unread ones among them (not the read ones,
// not one's own, not those a moderator deleted already, not a reported one,
// which is kept), in every window of a run, and a second run changes nothing.
void tst_MaintenanceJobs::retentionKeepsUnreadCountsTrue()
{
    const qint64 now = nowMs();
    const qint64 old = now - 40 * kDayMs;
    const qint64 a = addUser(db(), QStringLiteral("user_a"));
    const qint64 b = addUser(db(), QStringLiteral("user_b"));
    const qint64 c = addUser(db(), QStringLiteral("user_c"));
    const qint64 d = addUser(db(), QStringLiteral("user_d"));
    const qint64 ab = openedByBoth(db(), a, b, old);
    const qint64 cd = openedByBoth(db(), c, d, old);
    send(2, ab, a, old);
    const Message readUpTo = send(1, ab, a, old);       // b reads up to here
    const Message moderated = send(1, ab, a, old);      // a moderator deletes it
    const Message reported = send(1, ab, a, old);       // b reports it: kept
    send(3, ab, a, old);
    send(4, cd, c, old);                                // d reads none
    send(2, ab, b, old);                                // a reads none of b's
    send(2, cd, d, old);
    const Message cRead = send(1, cd, d, old);          // c reads all of d's
    send(2, ab, a, now);                                // recent: kept, unread
    send(1, cd, c, now);
    QVERIFY(store::advanceReadCursor(db(), ab, b, readUpTo.id, readUpTo.seq));
    QVERIFY(store::advanceReadCursor(db(), cd, c, cRead.id, cRead.seq));
    QVERIFY(store::deleteMessage(db(), moderated.id, now));
    rawQuery(db(), "INSERT INTO reports (message_id, reporter_id, reason, created_at) VALUES ($1, $2, 'spam', 1)",
             {reported.id, b});
    // The writer, reader and moderator kept them true so far.
    QCOMPARE(unreadMismatches(db()), QStringList());
    QCOMPARE(unreadOf(db(), ab, b), qint64(1 + 3 + 2)); // reported, 3 more old, 2 recent
    QCOMPARE(unreadOf(db(), ab, a), qint64(2));
    QCOMPARE(unreadOf(db(), cd, d), qint64(5));
    QCOMPARE(unreadOf(db(), cd, c), qint64(0));

    MaintenanceJobs::Settings s;
    s.retentionDays = 30;
    s.batch = 3; // windows that split the conversations' runs
    s.batchesPerRun = 2;
    auto jobs = jobsWith(s);
    QVERIFY(jobs);
    // Bounded runs: the counts are true after each, not only at the end.
    for (int round = 0; round < 4; ++round) {
        QCOMPARE(run(*jobs, QStringLiteral("messages.retention")).outcome, JobOutcome::Done);
        QCOMPARE(unreadMismatches(db()), QStringList());
    }
    QCOMPARE(scalar(db(), "SELECT COUNT(*) FROM messages WHERE created_at < $1", {now - 30 * kDayMs}),
             qint64(1)); // the reported one
    QCOMPARE(unreadOf(db(), ab, b), qint64(1 + 2));
    QCOMPARE(unreadOf(db(), ab, a), qint64(0));
    QCOMPARE(unreadOf(db(), cd, d), qint64(1));
    QCOMPARE(unreadOf(db(), cd, c), qint64(0));
    // Idempotent: nothing more to delete, nothing more to lower.
    const QStringList before = unreadStoredAndFresh(db());
    QCOMPARE(run(*jobs, QStringLiteral("messages.retention")).outcome, JobOutcome::Done);
    QCOMPARE(unreadStoredAndFresh(db()), before);
}

// A group commit holds the writers' lock with a new message of the same
// conversation uncommitted when retention starts; its unread increment
// must survive the batch, and the batch's decrement must survive it. On
// PostgreSQL the test waits until retention is seen waiting for a lock
// (the writers' lock, before it touches anything), so this order is the
// one tested; on SQLite the database's single write lock serialises them
// in whichever order they come.
void tst_MaintenanceJobs::retentionBesideAGroupCommitInFlight()
{
    const qint64 now = nowMs();
    const qint64 old = now - 40 * kDayMs;
    const qint64 a = addUser(db(), QStringLiteral("user_a"));
    const qint64 b = addUser(db(), QStringLiteral("user_b"));
    const qint64 ab = openedByBoth(db(), a, b, old);
    send(5, ab, a, old);
    QCOMPARE(unreadOf(db(), ab, b), qint64(5));

    QString error;
    const auto url = DatabaseUrl::parse(m_url, m_dir.path(), error);
    QVERIFY2(url, qPrintable(error));
    auto writer = Db::connect(*url, QStringLiteral("writer"), error);
    QVERIFY2(writer, qPrintable(error));
    writer->begin();
    if (writer->dialect() == Dialect::Postgres) {
        // The group commit's own function, left uncommitted.
        rawQuery(*writer, "SELECT count(*) FROM sanayicin_store_messages($1::bigint[], $2::bigint[], "
                          "$3::text[], $4::text[], $5)",
                 {QStringLiteral("{%1}").arg(a), QStringLiteral("{%1}").arg(ab), QStringLiteral("{late}"),
                  QStringLiteral("{hi}"), now});
    } else {
        // storeSqlite's statements for one message, inside BEGIN IMMEDIATE.
        rawQuery(*writer, "INSERT INTO messages (id, conversation_id, seq, sender_id, client_msg_id, body, "
                          "created_at) VALUES (6, $1, 6, $2, 'late', 'hi', $3)",
                 {ab, a, now});
        rawQuery(*writer, "UPDATE conversations SET last_seq = 6, last_message_id = 6 WHERE id = $1", {ab});
        rawQuery(*writer, "UPDATE participants SET unread_count = unread_count + 1 "
                          "WHERE conversation_id = $1 AND user_id <> $2",
                 {ab, a});
        rawQuery(*writer, "UPDATE id_counters SET value = 6 WHERE name = 'message'");
    }

    // Retention on a thread of its own (a connection belongs to the thread
    // that opened it: the jobs object lives and dies there).
    MaintenanceJobs::Settings s;
    s.retentionDays = 30;
    const QString dbUrl = m_url, folder = m_dir.path();
    std::atomic<int> outcome{-1};
    std::unique_ptr<QThread> thread(QThread::create([&outcome, s, dbUrl, folder] {
        QString e;
        const auto u = DatabaseUrl::parse(dbUrl, folder, e);
        MaintenanceJobs jobs(*u, s);
        Job job;
        job.id = QStringLiteral("1");
        job.queue = MaintenanceJobs::kQueue;
        job.type = QStringLiteral("messages.retention");
        jobs.handlers().value(job.type)(job, [&outcome](JobResult r) { outcome = int(r.outcome); });
    }));
    thread->start();
    if (writer->dialect() == Dialect::Postgres)
        QTRY_VERIFY_WITH_TIMEOUT(
            scalar(db(), "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                         "AND wait_event_type = 'Lock'")
                == 1,
            20000);
    writer->commit();
    QVERIFY(thread->wait(QDeadlineTimer(60000)));
    QCOMPARE(outcome.load(), int(JobOutcome::Done));
    QCOMPARE(scalar(db(), "SELECT COUNT(*) FROM messages"), qint64(1));
    QCOMPARE(unreadOf(db(), ab, b), qint64(1));
    QCOMPARE(unreadMismatches(db()), QStringList());
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
