// The job queue with real worker and scheduler processes (issue 11), each
// test once per backend (initTestCase_data): Redis Streams ("redis": Redis
// database 9 of the services' server, emptied first, so that its keys meet
// no other suite's), the embedded queue on SQLite and on PostgreSQL (a
// fresh database each). A worker killed mid-job, a worker stopped mid-job,
// retries with backoff into the dead letters and back, dedupe, notBefore,
// two schedulers of which one is active.

#include "bridge/redis_connection.h"
#include "bridge/redis_url.h"
#include "jobs/redis_job_queue.h"
#include "jobs/sql_job_queue.h"
#include "daemon_process.h"
#include "http_client.h"
#include "jobs_test_support.h"
#include "notify_listener.h"
#include "storage_test.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>
#include <hiredis/hiredis.h>

using namespace sanayicin;
using namespace sanayicin::jobs;
using namespace sanayicin::test;

class tst_Jobs : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data();
    void initTestCase();
    void init();
    void cleanupTestCase();
    void killedWorkerJobIsClaimedAndDoneOnce();
    void stoppedWorkerGivesItsJobBack();
    void retriesBackOffThenDeadLetterThenRetried();
    void dedupeKeyDropsASecondJobUntilTheFirstRuns();
    void notBeforeHoldsAJob();
    void twoSchedulersNeverBothActive();
    void embeddedJobsOutliveADaemonRestart();
    void underSystemdReadyThenStopping();
    void lateAnswerOfALostWorkerChangesNothing();

private:
    const QString &backend() const { return m_backend; }
    QString queueName() const
    {
        return QString::fromLatin1(QTest::currentTestFunction()) + QLatin1Char('-') + backend();
    }
    QStringList backendArgs() const;
    // The sessions.purge jobs on the "maintenance" queue, in order: (slot, scheduler).
    QList<std::pair<qint64, QString>> scheduledJobs();
    bool leaseHeld();
    std::unique_ptr<JobProcess> startProcess(const QString &program, const QStringList &args,
                                             const QString &logName);
    std::unique_ptr<JobProcess> startWorker(const QString &queue, const QStringList &extra = {});
    QString enqueue(const JobSpec &spec); // the id, "" for a duplicate, "error"
    QueueStats stats(const QString &queue);
    QByteArray redis(const QList<QByteArray> &args);
    JobSpec effectJob(const QString &queue, const QString &key, const QJsonObject &more = {}) const;
    // The current backend's folder, and files in it.
    QString folder() const { return m_dir.filePath(backend()); }
    QString path(const QString &name) const { return folder() + QLatin1Char('/') + name; }

    QTemporaryDir m_dir;
    QString m_redisUrl;
    std::unique_ptr<RedisConnection> m_connection;
    QString m_backend;     // the current row's, whose queue m_queue is
    QString m_databaseUrl; // the embedded backends' database
    std::unique_ptr<Db> m_db; // for checks behind the queue's back
    std::unique_ptr<JobQueue> m_queue;
    int m_processes = 0;
};

void tst_Jobs::initTestCase_data()
{
    QTest::addColumn<QString>("backend");
    QTest::newRow("redis") << QStringLiteral("redis");
    QTest::newRow("sqlite") << QStringLiteral("sqlite");
    QTest::newRow("postgresql") << QStringLiteral("postgresql");
}

void tst_Jobs::initTestCase()
{
    initSanayicinResources(); // the Lua scripts and the SQL
    QVERIFY(m_dir.isValid());
    const QString base = TestEnv::redisUrl();
    QVERIFY2(!base.isEmpty(), "no Redis: run with the services fixture");
    m_redisUrl = base.left(base.lastIndexOf(QLatin1Char('/'))) + QStringLiteral("/9");
    QString error;
    const std::optional<RedisUrl> url = RedisUrl::parse(m_redisUrl, error);
    QVERIFY2(url, qPrintable(error));
    m_connection = std::make_unique<RedisConnection>(*url, QStringLiteral("test"));
    m_connection->start();
    QTRY_VERIFY_WITH_TIMEOUT(m_connection->isConnected(), 10000);
    QCOMPARE(redis({"FLUSHDB"}), QByteArray("OK"));
}

// The queue of the current backend: made when the backend changes.
void tst_Jobs::init()
{
    QFETCH_GLOBAL(QString, backend);
    if (m_backend == backend && m_queue)
        return;
    m_queue.reset();
    m_db.reset();
    m_backend = backend;
    QVERIFY(QDir().mkpath(folder()));
    if (m_backend == u"redis") {
        m_queue = std::make_unique<RedisJobQueue>(*m_connection);
        return;
    }
    m_db = openFreshDatabase(m_backend, m_dir.path(), true, &m_databaseUrl);
    QVERIFY(m_db);
    QString error;
    const auto url = DatabaseUrl::parse(m_databaseUrl, m_dir.path(), error);
    QVERIFY2(url, qPrintable(error));
    m_queue = SqlJobQueue::open(*url, error);
    QVERIFY2(m_queue, qPrintable(error));
}

void tst_Jobs::cleanupTestCase()
{
    m_queue.reset();
    m_db.reset();
    m_connection.reset();
}

QStringList tst_Jobs::backendArgs() const
{
    if (backend() == u"redis")
        return {QStringLiteral("--redis"), m_redisUrl, QStringLiteral("--data-dir"),
                m_dir.filePath(QStringLiteral("data"))};
    return {QStringLiteral("--database"), m_databaseUrl};
}

QList<std::pair<qint64, QString>> tst_Jobs::scheduledJobs()
{
    QList<QByteArray> payloads;
    if (backend() == u"redis") {
        const qint64 n = redis({"GET", "sanayicin:jobs:maintenance:seq"}).toLongLong();
        for (qint64 i = 1; i <= n; ++i) {
            const QByteArray key = "sanayicin:jobs:maintenance:job:" + QByteArray::number(i);
            if (redis({"HGET", key, "type"}) == "sessions.purge")
                payloads << redis({"HGET", key, "payload"});
        }
    } else {
        const DbRows rows = rawQuery(*m_db, "SELECT payload FROM jobs WHERE queue = 'maintenance' "
                                                 "AND type = 'sessions.purge' ORDER BY id");
        for (int r = 0; r < rows.size(); ++r)
            payloads << rows.utf8(r, 0);
    }
    QList<std::pair<qint64, QString>> out;
    for (const QByteArray &payload : std::as_const(payloads)) {
        const QJsonObject p = QJsonDocument::fromJson(payload).object();
        out.append({qint64(p.value(QStringLiteral("slot")).toDouble()),
                    p.value(QStringLiteral("scheduler")).toString()});
    }
    return out;
}

bool tst_Jobs::leaseHeld()
{
    if (backend() == u"redis")
        return redis({"EXISTS", "sanayicin:lease:scheduler"}) == "1";
    return scalar(*m_db, "SELECT COUNT(*) FROM job_leases") > 0;
}

std::unique_ptr<JobProcess> tst_Jobs::startProcess(const QString &program,
                                                        const QStringList &args,
                                                        const QString &logName)
{
    auto p = std::make_unique<JobProcess>(program, args,
                                          path(QStringLiteral("%1-%2.log").arg(logName).arg(++m_processes)));
    if (!p->start())
        return nullptr;
    return p;
}

std::unique_ptr<JobProcess> tst_Jobs::startWorker(const QString &queue, const QStringList &extra)
{
    QStringList args = QStringList{QStringLiteral("worker")} + backendArgs();
    args << QStringList{QStringLiteral("--instance-id"), QStringLiteral("test"),
                     QStringLiteral("--worker-queues"), queue,
                     QStringLiteral("--worker-poll-ms"), QStringLiteral("50"),
                     QStringLiteral("--jobs-visibility-ms"), QStringLiteral("1000"),
                     QStringLiteral("--log-level"), QStringLiteral("debug")};
    return startProcess(QStringLiteral(JOBS_WORKER_HOST), args + extra, queue);
}

QByteArray tst_Jobs::redis(const QList<QByteArray> &args)
{
    QByteArray out;
    bool answered = false;
    const bool sent = m_connection->command(args, [&](redisReply *r) {
        answered = true;
        if (r && (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS
                  || r->type == REDIS_REPLY_ERROR))
            out = QByteArray(r->str, int(r->len));
        else if (r && r->type == REDIS_REPLY_INTEGER)
            out = QByteArray::number(qint64(r->integer));
    });
    if (sent)
        (void)QTest::qWaitFor([&] { return answered; }, 10000);
    return out;
}

QString tst_Jobs::enqueue(const JobSpec &spec)
{
    QString out = QStringLiteral("error");
    bool answered = false;
    m_queue->enqueue(spec, [&](bool ok, QString id) {
        answered = true;
        if (ok)
            out = id;
    });
    (void)QTest::qWaitFor([&] { return answered; }, 10000);
    return out;
}

QueueStats tst_Jobs::stats(const QString &queue)
{
    QueueStats out;
    out.waiting = -1;
    bool answered = false;
    m_queue->stats(queue, [&](std::optional<QueueStats> s) {
        answered = true;
        if (s)
            out = *s;
    });
    (void)QTest::qWaitFor([&] { return answered; }, 10000);
    return out;
}

JobSpec tst_Jobs::effectJob(const QString &queue, const QString &key, const QJsonObject &more) const
{
    QJsonObject p = more;
    p.insert(QStringLiteral("dir"), folder());
    p.insert(QStringLiteral("key"), key);
    JobSpec spec;
    spec.queue = queue;
    spec.type = QStringLiteral("test.effect");
    spec.payload = QJsonDocument(p).toJson(QJsonDocument::Compact);
    return spec;
}

// At-least-once across a dead worker, exactly one effect: the job's first
// worker is SIGKILLed while it runs the job; after the visibility timeout
// a second worker claims it (attempt 2) and does it; nothing runs it again.
void tst_Jobs::killedWorkerJobIsClaimedAndDoneOnce()
{
    const QString q = queueName();
    const QString hold = path(QStringLiteral("hold-kill"));
    QVERIFY(QFile(hold).open(QIODevice::WriteOnly));
    const QString id = enqueue(effectJob(q, QStringLiteral("kill"), {{QStringLiteral("hold"), hold}}));
    QVERIFY(!id.isEmpty() && id != u"error");

    auto first = startWorker(q);
    QVERIFY(first);
    const QString started = path(QStringLiteral("started-kill"));
    QTRY_COMPARE_WITH_TIMEOUT(fileLines(started).size(), 1, 20000);
    QVERIFY(fileLines(started).at(0).startsWith(id.toLatin1() + " 1 " + QByteArray::number(first->pid())));
    QCOMPARE(stats(q).pending, 1);
    first->kill(); // mid-way: it never answered
    QFile::remove(hold);

    auto second = startWorker(q);
    QVERIFY(second);
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(path(QStringLiteral("effect-kill"))), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(stats(q).done, 1, 10000);
    const QList<QByteArray> starts = fileLines(started);
    QCOMPARE(starts.size(), 2);
    QVERIFY2(starts.at(1).startsWith(id.toLatin1() + " 2 " + QByteArray::number(second->pid())),
             starts.at(1).constData());
    QCOMPARE(fileLines(path(QStringLiteral("runs-kill"))).size(), 1);
    const QueueStats s = stats(q);
    QCOMPARE(s.pending, 0);
    QCOMPARE(s.waiting, 0);
    QCOMPARE(s.deadLetters, 0);
    QCOMPARE(second->terminate(), 0);
    // Stopped, the job is not run again by anyone.
    QCOMPARE(fileLines(started).size(), 2);
}

// SIGTERM: a worker whose job does not finish within --worker-grace-ms
// gives it back unrun (its attempt not counted) and exits 0; the next
// worker takes it at once, as attempt 1 again.
void tst_Jobs::stoppedWorkerGivesItsJobBack()
{
    const QString q = queueName();
    const QString hold = path(QStringLiteral("hold-stop"));
    QVERIFY(QFile(hold).open(QIODevice::WriteOnly));
    const QString id = enqueue(effectJob(q, QStringLiteral("stop"), {{QStringLiteral("hold"), hold}}));
    auto first = startWorker(q, {QStringLiteral("--worker-grace-ms"), QStringLiteral("200"),
                                 // Long: only the give-back can hand it on soon.
                                 QStringLiteral("--jobs-visibility-ms"), QStringLiteral("600000")});
    QVERIFY(first);
    const QString started = path(QStringLiteral("started-stop"));
    QTRY_COMPARE_WITH_TIMEOUT(fileLines(started).size(), 1, 20000);
    QCOMPARE(first->terminate(), 0);
    QVERIFY2(first->log().contains("giving back 1 jobs"), first->log().constData());
    QCOMPARE(stats(q).pending, 0);
    QCOMPARE(stats(q).waiting, 1);
    QTRY_VERIFY(stats(q).oldestAgeMs > 0); // due, and waiting
    QFile::remove(hold);
    auto second = startWorker(q, {QStringLiteral("--jobs-visibility-ms"), QStringLiteral("600000")});
    QVERIFY(second);
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(path(QStringLiteral("effect-stop"))), 20000);
    const QList<QByteArray> starts = fileLines(started);
    QCOMPARE(starts.size(), 2);
    QVERIFY2(starts.at(1).startsWith(id.toLatin1() + " 1 "), starts.at(1).constData());
}

// A job that keeps failing is retried after growing delays, then becomes a
// dead letter; retried through the admin API it runs again with all its
// attempts and succeeds; a dead letter dropped through it is gone; both
// are in the moderation log.
void tst_Jobs::retriesBackOffThenDeadLetterThenRetried()
{
    const QString q = queueName();
    const QString succeed = path(QStringLiteral("succeed-retry"));
    const QString id = enqueue(effectJob(q, QStringLiteral("retry"), {{QStringLiteral("succeed"), succeed}}));
    auto worker = startWorker(q, {QStringLiteral("--jobs-max-attempts"), QStringLiteral("3"),
                                  QStringLiteral("--jobs-backoff-ms"), QStringLiteral("150")});
    QVERIFY(worker);
    QTRY_COMPARE_WITH_TIMEOUT(stats(q).deadLetters, 1, 20000);
    const QList<QByteArray> starts = fileLines(path(QStringLiteral("started-retry")));
    QCOMPARE(starts.size(), 3);
    QList<qint64> at;
    for (int i = 0; i < 3; ++i) {
        const QList<QByteArray> f = starts.at(i).split(' ');
        QCOMPARE(f.at(0), id.toLatin1());
        QCOMPARE(f.at(1).toInt(), i + 1);
        at << f.at(3).toLongLong();
    }
    // The backoff: at least 150 ms, then at least 300 ms (lower bounds only).
    QVERIFY2(at[1] - at[0] >= 150, qPrintable(QString::number(at[1] - at[0])));
    QVERIFY2(at[2] - at[1] >= 300, qPrintable(QString::number(at[2] - at[1])));
    QueueStats s = stats(q);
    QCOMPARE(s.retried, 2);
    QCOMPARE(s.dead, 1);
    QCOMPARE(s.waiting, 0);
    QCOMPARE(s.pending, 0);

    // The admin API of a daemon on the same queue: listed, then a retry.
    QString error;
    const QString daemonDb = backend() == u"redis" ? freshDatabaseUrl(QStringLiteral("sqlite"), folder())
                                                   : m_databaseUrl;
    QVERIFY2(DaemonProcess::createUser(daemonDb, QStringLiteral("jobadmin"),
                                       QStringLiteral("password123"), true, error),
             qPrintable(error));
    QStringList daemonArgs = DaemonProcess::defaultArgs();
    if (backend() == u"redis")
        daemonArgs << QStringLiteral("--redis") << m_redisUrl;
    DaemonProcess daemon;
    QVERIFY2(daemon.start(daemonDb, daemonArgs, error), qPrintable(error));
    HttpClient http(daemon.httpUrl(QStringLiteral("/")));
    const QString token = http.login(QStringLiteral("jobadmin")).token;
    QVERIFY(!token.isEmpty());
    const QString base = QStringLiteral("/api/v1/admin/queues/") + q + QStringLiteral("/dead");

    HttpResult listed = http.get(base, token);
    QCOMPARE(listed.status, 200);
    QJsonArray items = listed.json().value(QStringLiteral("items")).toArray();
    QCOMPARE(items.size(), 1);
    const QJsonObject letter = items.at(0).toObject();
    QCOMPARE(letter.value(QStringLiteral("job_id")).toString(), id);
    QCOMPARE(letter.value(QStringLiteral("type")).toString(), QStringLiteral("test.effect"));
    QCOMPARE(letter.value(QStringLiteral("attempts")).toInt(), 3);
    QCOMPARE(letter.value(QStringLiteral("error")).toString(), QStringLiteral("test: not yet"));
    QVERIFY(letter.value(QStringLiteral("died_at")).isString());
    const QString deadId = letter.value(QStringLiteral("id")).toString();

    const HttpResult queues = http.get(QStringLiteral("/api/v1/admin/queues"), token);
    QCOMPARE(queues.status, 200);
    QCOMPARE(queues.json().value(QStringLiteral("jobs_backend")).toString(),
             backend() == u"redis" ? QStringLiteral("redis") : QStringLiteral("embedded"));
    QCOMPARE(queues.json().value(QStringLiteral("jobs")).toArray().at(0).toObject()
                 .value(QStringLiteral("name")).toString(),
             QStringLiteral("maintenance"));

    // No such dead letter, a malformed id, a malformed queue: 404, nothing logged.
    QCOMPARE(http.post(base + QStringLiteral("/1-1/retry"), {}, token).status, 404);
    QCOMPARE(http.post(base + QStringLiteral("/x1/retry"), {}, token).status, 404);
    QCOMPARE(http.post(QStringLiteral("/api/v1/admin/queues/bad%20queue/dead/1/retry"), {}, token).status, 404);
    QVERIFY(QFile(succeed).open(QIODevice::WriteOnly));
    QCOMPARE(http.post(base + QLatin1Char('/') + deadId + QStringLiteral("/retry"), {}, token).status, 204);
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(path(QStringLiteral("effect-retry"))), 20000);
    const QList<QByteArray> all = fileLines(path(QStringLiteral("started-retry")));
    QCOMPARE(all.size(), 4);
    QVERIFY2(all.at(3).startsWith(id.toLatin1() + " 1 "), all.at(3).constData());
    QTRY_COMPARE(stats(q).deadLetters, 0);
    // The effect file is written inside the job; Done is recorded after it returns.
    QTRY_COMPARE(stats(q).done, 1);
    // Once retried it is no dead letter any more.
    QCOMPARE(http.post(base + QLatin1Char('/') + deadId + QStringLiteral("/retry"), {}, token).status, 404);

    // A job no worker knows fails at once; dropped, it is gone.
    JobSpec unknown = effectJob(q, QStringLiteral("unknown"));
    unknown.type = QStringLiteral("test.unknown");
    QVERIFY(!enqueue(unknown).isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(stats(q).deadLetters, 1, 20000);
    items = http.get(base, token).json().value(QStringLiteral("items")).toArray();
    QCOMPARE(items.size(), 1);
    QCOMPARE(items.at(0).toObject().value(QStringLiteral("error")).toString(),
             QStringLiteral("no handler for this job type"));
    QCOMPARE(items.at(0).toObject().value(QStringLiteral("attempts")).toInt(), 1);
    const QString dropId = items.at(0).toObject().value(QStringLiteral("id")).toString();
    QCOMPARE(http.del(base + QLatin1Char('/') + dropId, token).status, 204);
    QCOMPARE(http.del(base + QLatin1Char('/') + dropId, token).status, 404);
    QCOMPARE(stats(q).deadLetters, 0);
    QCOMPARE(http.get(base, token).json().value(QStringLiteral("items")).toArray().size(), 0);

    // Both actions are in the moderation log, with the queue and the id.
    const QJsonArray log = http.get(QStringLiteral("/api/v1/admin/log"), token)
                               .json().value(QStringLiteral("items")).toArray();
    QCOMPARE(log.size(), 2);
    QCOMPARE(log.at(0).toObject().value(QStringLiteral("action")).toString(), QStringLiteral("drop_job"));
    QCOMPARE(log.at(0).toObject().value(QStringLiteral("reason")).toString(), q + QLatin1Char(' ') + dropId);
    QCOMPARE(log.at(1).toObject().value(QStringLiteral("action")).toString(), QStringLiteral("retry_job"));
    QCOMPARE(log.at(1).toObject().value(QStringLiteral("reason")).toString(), q + QLatin1Char(' ') + deadId);
    QCOMPARE(daemon.terminate(), 0);
}

// A second job with the dedupe key of one that waits is dropped (empty id);
// once the first has started, the key is free again.
void tst_Jobs::dedupeKeyDropsASecondJobUntilTheFirstRuns()
{
    const QString q = queueName();
    JobSpec spec = effectJob(q, QStringLiteral("dedupe"));
    spec.dedupeKey = QStringLiteral("user:42");
    const QString id = enqueue(spec);
    QVERIFY(!id.isEmpty() && id != u"error");
    QCOMPARE(enqueue(spec), QString());
    JobSpec other = spec;
    other.dedupeKey = QStringLiteral("user:43");
    const QString otherId = enqueue(other);
    QVERIFY(!otherId.isEmpty() && otherId != u"error" && otherId != id);
    QCOMPARE(stats(q).waiting, 2);

    auto worker = startWorker(q);
    QVERIFY(worker);
    QTRY_COMPARE_WITH_TIMEOUT(stats(q).done, 2, 20000);
    QCOMPARE(fileLines(path(QStringLiteral("started-dedupe"))).size(), 2);
    const QString again = enqueue(spec);
    QVERIFY(!again.isEmpty() && again != u"error" && again != id);
    QTRY_COMPARE_WITH_TIMEOUT(stats(q).done, 3, 20000);
}

// A job with notBeforeMs waits (counted as waiting, not run) until then:
// one due in an hour stays while later jobs run; one due in 0.7 s starts
// no earlier than that.
void tst_Jobs::notBeforeHoldsAJob()
{
    const QString q = queueName();
    auto worker = startWorker(q);
    QVERIFY(worker);
    JobSpec hour = effectJob(q, QStringLiteral("hour"));
    hour.notBeforeMs = QDateTime::currentMSecsSinceEpoch() + 3600000;
    QVERIFY(!enqueue(hour).isEmpty());
    JobSpec soon = effectJob(q, QStringLiteral("soon"));
    const qint64 notBefore = QDateTime::currentMSecsSinceEpoch() + 700;
    soon.notBeforeMs = notBefore;
    QVERIFY(!enqueue(soon).isEmpty());
    QVERIFY(!enqueue(effectJob(q, QStringLiteral("now"))).isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(path(QStringLiteral("effect-now"))), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(path(QStringLiteral("effect-soon"))), 20000);
    const QList<QByteArray> started = fileLines(path(QStringLiteral("started-soon")));
    QCOMPARE(started.size(), 1);
    QVERIFY2(started.at(0).split(' ').at(3).toLongLong() >= notBefore, started.at(0).constData());
    // The one due in an hour: still waiting, never started, not yet due
    // (once "soon", whose effect is written inside the job, is recorded Done).
    QTRY_COMPARE(stats(q).waiting, 1);
    QCOMPARE(stats(q).oldestAgeMs, 0);
    QVERIFY(!QFile::exists(path(QStringLiteral("started-hour"))));
}

// Two `sanayicind scheduler`s: every period's job is put on the queue once,
// by the active one only; after it is killed the other takes over, and no
// job of the dead one comes after the first of its successor.
void tst_Jobs::twoSchedulersNeverBothActive()
{
    const QStringList args = QStringList{QStringLiteral("scheduler")} + backendArgs()
                             + QStringList{QStringLiteral("--instance-id"), QStringLiteral("test"),
                                           QStringLiteral("--purge-interval-s"), QStringLiteral("1"),
                                           // Renewed every 667 ms: a loaded machine does not
                                           // let it lapse while its holder lives.
                                           QStringLiteral("--scheduler-lease-ms"), QStringLiteral("2000")};
    const QString daemon = TestEnv::daemonPath();
    auto a = startProcess(daemon, args, QStringLiteral("scheduler"));
    auto b = startProcess(daemon, args, QStringLiteral("scheduler"));
    QVERIFY(a && b);

    // No worker takes the "maintenance" jobs here: they stay to be read.
    auto scheduled = [this] { return scheduledJobs(); };
    QTRY_VERIFY_WITH_TIMEOUT(scheduled().size() >= 2, 20000);
    const QString active = scheduled().at(0).second;
    const QByteArray activePid = active.section(QLatin1Char('-'), 1, 1).toLatin1();
    JobProcess *activeProcess = QByteArray::number(a->pid()) == activePid ? a.get() : b.get();
    JobProcess *other = activeProcess == a.get() ? b.get() : a.get();
    QVERIFY2(QByteArray::number(activeProcess->pid()) == activePid, qPrintable(active));
    activeProcess->kill();
    const int before = int(scheduled().size());
    QTRY_VERIFY_WITH_TIMEOUT(scheduled().size() >= before + 2, 20000);
    QVERIFY(other->isRunning());

    const QList<std::pair<qint64, QString>> all = scheduled();
    QSet<QString> holders;
    bool switched = false;
    qint64 lastSlot = -1;
    for (const auto &[slot, who] : all) {
        holders.insert(who);
        QVERIFY2(slot > lastSlot, "a slot scheduled twice or out of order");
        lastSlot = slot;
        if (who != active)
            switched = true;
        else
            QVERIFY2(!switched, "the killed scheduler's job after its successor's");
    }
    QCOMPARE(holders.size(), 2);
    QVERIFY(switched);
    QCOMPARE(other->terminate(), 0);
    // It gave the lease up on the way out.
    QVERIFY(!leaseHeld());
}

// The plain daemon without Redis runs the jobs in-process, from its
// database: a job waiting when it stops is there when it starts again, and
// one enqueued while it was down runs then (sessions.purge deletes an
// expired session).
void tst_Jobs::embeddedJobsOutliveADaemonRestart()
{
    if (backend() == u"redis")
        QSKIP("the embedded queue only");
    const QStringList args = DaemonProcess::defaultArgs()
                             + QStringList{QStringLiteral("--purge-interval-s"), QStringLiteral("86400"),
                                           QStringLiteral("--rollup-interval-s"), QStringLiteral("86400")};
    QString error;
    {
        DaemonProcess first;
        QVERIFY2(first.start(m_databaseUrl, args, error), qPrintable(error));
        // Its scheduler's first purge of the day.
        QTRY_VERIFY_WITH_TIMEOUT(stats(QStringLiteral("maintenance")).done >= 1, 20000);
        JobSpec later;
        later.queue = QStringLiteral("maintenance");
        later.type = QStringLiteral("sessions.purge");
        later.payload = "{}";
        later.notBeforeMs = QDateTime::currentMSecsSinceEpoch() + 3600000;
        QVERIFY(!enqueue(later).isEmpty());
        QCOMPARE(first.terminate(), 0);
    }
    const qint64 doneBefore = stats(QStringLiteral("maintenance")).done;
    const qint64 user = addUser(*m_db, QStringLiteral("durable_%1").arg(backend()));
    rawQuery(*m_db, "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) "
                    "VALUES ('expired-token', $1, 1, 2)", {user});
    JobSpec now;
    now.queue = QStringLiteral("maintenance");
    now.type = QStringLiteral("sessions.purge");
    now.payload = "{}";
    QVERIFY(!enqueue(now).isEmpty());
    QCOMPARE(stats(QStringLiteral("maintenance")).waiting, 2);

    DaemonProcess second;
    QVERIFY2(second.start(m_databaseUrl, args, error), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(scalar(*m_db, "SELECT COUNT(*) FROM sessions WHERE token_hash = 'expired-token'"),
                              qint64(0), 20000);
    // (More than one more only when a new UTC day began meanwhile.)
    QTRY_VERIFY_WITH_TIMEOUT(stats(QStringLiteral("maintenance")).done >= doneBefore + 1, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(stats(QStringLiteral("maintenance")).waiting, 1, 20000); // the later one
    // /metrics: the queue's numbers as the daemon reads them (every 2 s).
    HttpClient http(second.httpUrl(QStringLiteral("/")));
    QTRY_COMPARE_WITH_TIMEOUT(http.metric("sanayicin_job_queue_depth{queue=\"maintenance\"}"), 1.0, 20000);
    QCOMPARE(http.metric("sanayicin_job_queue_pending{queue=\"maintenance\"}"), 0.0);
    QCOMPARE(http.metric("sanayicin_job_dead_letters{queue=\"maintenance\"}"), 0.0);
    // Counted from the daemon's first reading of the queue, made before its
    // worker took the job: this daemon's own.
    QCOMPARE(http.metric("sanayicin_jobs_total{queue=\"maintenance\",outcome=\"done\"}"),
             double(stats(QStringLiteral("maintenance")).done - doneBefore));
    QCOMPARE(second.terminate(), 0);
}

// Under systemd (Type=notify, as the worker and scheduler units run them):
// READY=1 once the queue answers, a STATUS= line, STOPPING=1 on SIGTERM,
// then exit 0.
void tst_Jobs::underSystemdReadyThenStopping()
{
    for (const char *role : {"worker", "scheduler"}) {
        NotifyListener systemd;
        QString error;
        QVERIFY2(systemd.open(false, error), qPrintable(error));
        const QStringList args = QStringList{QString::fromLatin1(role)} + backendArgs()
                                 + QStringList{QStringLiteral("--worker-queues"), queueName(),
                                               QStringLiteral("--scheduler-lease-ms"), QStringLiteral("2000")};
        JobProcess p(TestEnv::daemonPath(), args, path(QStringLiteral("systemd-%1.log").arg(QLatin1StringView(role))));
        p.setEnvironmentVariable(QStringLiteral("NOTIFY_SOCKET"), systemd.address());
        QVERIFY(p.start());
        QTRY_COMPARE_WITH_TIMEOUT(systemd.count("READY=1"), 1, 20000);
        const QByteArray expected = role == QByteArrayView("worker") ? "running 0 jobs from " : "active: ";
        auto statusSaid = [&] {
            for (const NotifyListener::Datagram &d : systemd.received())
                if (d.value("STATUS").startsWith(expected))
                    return true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(statusSaid(), 20000);
        QCOMPARE(systemd.with("READY=1").at(0).pid, p.pid());
        QCOMPARE(p.terminate(), 0);
        QCOMPARE(systemd.count("STOPPING=1"), 1);
    }
}

// The queue's own fencing, without processes: a worker that lost its job
// (not kept past the visibility timeout, claimed by another) answers late;
// its answer changes nothing, the new holder's counts.
void tst_Jobs::lateAnswerOfALostWorkerChangesNothing()
{
    const QString q = queueName();
    QueuePolicy policy = m_queue->policy();
    QueuePolicy quick = policy;
    quick.visibilityMs = 200;
    m_queue->setPolicy(quick);
    const QString id = enqueue(effectJob(q, QStringLiteral("late")));
    auto claim = [&](const QString &consumer) {
        QList<ClaimedJob> out;
        bool answered = false;
        m_queue->claim(q, consumer, 1, [&](std::optional<QList<ClaimedJob>> jobs) {
            answered = true;
            out = jobs.value_or(QList<ClaimedJob>());
        });
        (void)QTest::qWaitFor([&] { return answered; }, 10000);
        return out;
    };
    auto finish = [&](const ClaimedJob &c, const QString &consumer) {
        std::optional<Finished> out;
        bool answered = false;
        m_queue->finish(c, consumer, {JobOutcome::Done, {}}, [&](std::optional<Finished> f) {
            answered = true;
            out = f;
        });
        (void)QTest::qWaitFor([&] { return answered; }, 10000);
        return out;
    };
    const QList<ClaimedJob> first = claim(QStringLiteral("worker-a"));
    QCOMPARE(first.size(), 1);
    QCOMPARE(first.at(0).job.id, id);
    QCOMPARE(first.at(0).job.attempt, 1);
    QCOMPARE(claim(QStringLiteral("worker-b")).size(), 0); // held by a
    QList<ClaimedJob> second;
    // (QTRY evaluates once more after success: what it claims adds up.)
    QTRY_VERIFY_WITH_TIMEOUT(!(second += claim(QStringLiteral("worker-b"))).isEmpty(), 10000);
    QCOMPARE(second.size(), 1);
    QCOMPARE(second.at(0).job.id, id);
    QCOMPARE(second.at(0).job.attempt, 2);
    QCOMPARE(finish(first.at(0), QStringLiteral("worker-a")), std::optional<Finished>(Finished::NotHeld));
    QCOMPARE(stats(q).pending, 1);
    QCOMPARE(stats(q).done, 0);
    QCOMPARE(finish(second.at(0), QStringLiteral("worker-b")), std::optional<Finished>(Finished::Done));
    const QueueStats s = stats(q);
    QCOMPARE(s.pending, 0);
    QCOMPARE(s.waiting, 0);
    QCOMPARE(s.done, 1);
    m_queue->setPolicy(policy);
}

QTEST_GUILESS_MAIN(tst_Jobs)
#include "tst_jobs.moc"
