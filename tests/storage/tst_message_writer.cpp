// MessageWriter's jobs (read cursors) beside its message batches: the job
// queue is bounded, a long run of jobs does not hold back a send that
// arrives meanwhile, and a stream of sends does not hold back jobs. Its
// committed batches reach the sink in commit order, before their acks. On
// SQLite and PostgreSQL. A batch whose COMMIT's answer is lost (PostgreSQL
// only: SQLite runs in process and cannot lose its connection) is resolved
// by looking its sends up once the database answers again.

#include "storage_test.h"

#include "commit_cutting_proxy.h"

#include "storage/conversation_store.h"
#include "storage/membership_cache.h"
#include "storage/message_writer.h"
#include "time/clock.h"

#include <QMutex>
#include <QSemaphore>
#include <QDeadlineTimer>
#include <QUrl>
#include <atomic>
#include <thread>

using namespace sanayicin;
using namespace sanayicin::test;
using namespace Qt::StringLiterals;

namespace {

// What ran on the writer, in order: "J" for a job, "S" for a send's reply.
class Log
{
public:
    void add(char what)
    {
        QMutexLocker lock(&m_mutex);
        m_order += what;
    }
    QByteArray order() const
    {
        QMutexLocker lock(&m_mutex);
        return m_order;
    }

private:
    mutable QMutex m_mutex;
    QByteArray m_order;
};

// Holds the writer inside a job until release() (or the end of the test,
// also when a check fails), so that the test can queue behind it.
class WriterGate
{
public:
    bool hold(MessageWriter &writer)
    {
        if (!writer.post([this](Db &) {
                m_holding.release();
                m_open.acquire();
            }))
            return false;
        m_holding.acquire();
        return true;
    }
    void release()
    {
        if (!m_released)
            m_open.release();
        m_released = true;
    }
    ~WriterGate() { release(); }

private:
    QSemaphore m_holding, m_open;
    bool m_released = false;
};

// What the writer committed, as delivery would receive it.
class RecordingSink final : public CommittedBatchSink
{
public:
    void committed(std::shared_ptr<const MessageBatch> batch) override
    {
        QMutexLocker lock(&m_mutex);
        m_batches.push_back(std::move(batch));
    }
    // The ids of every message handed over, in the order they came.
    QList<qint64> ids() const
    {
        QMutexLocker lock(&m_mutex);
        QList<qint64> out;
        for (const auto &b : m_batches)
            for (const auto &d : *b)
                out.push_back(d->message.id);
        return out;
    }
    void clear()
    {
        QMutexLocker lock(&m_mutex);
        m_batches.clear();
    }
    qsizetype batches() const
    {
        QMutexLocker lock(&m_mutex);
        return qsizetype(m_batches.size());
    }

private:
    mutable QMutex m_mutex;
    std::vector<std::shared_ptr<const MessageBatch>> m_batches;
};

// A job that keeps the writer busy for about a millisecond.
void busyMillisecond()
{
    const qint64 end = steadyNs() + 1'000'000;
    while (steadyNs() < end) {
    }
}

} // namespace

class tst_MessageWriter : public StorageTest
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data() { addDialectRows(); }
    void initTestCase() { initSanayicinResources(); }
    void init();
    void cleanup();

    void jobQueueIsBounded();
    void jobsDoNotHoldBackASend();
    void sendsDoNotHoldBackJobs();
    void batchesReachTheSinkBeforeTheirAcks();
    void commitWhoseAnswerWasLostIsAcked();
    void commitThatNeverRanIsRefused();
    void lostCommitPastTheDeadlineIsUnknown();

private:
    // A writer whose connections go through `proxy` (PostgreSQL rows only),
    // the proxy armed with `mode`.
    bool startWriterThrough(CommitCuttingProxy &proxy, CommitCuttingProxy::Mode mode,
                            qint64 resolveDeadlineMs = 30000);
    // Submits `send` and waits until its batch has committed on the server
    // while the proxy holds the answer back.
    bool submitAndHoldCommit(CommitCuttingProxy &proxy, SendCommand send);
    qint64 storedCount(const QString &clientMsgId);

    // A writer on the test database: batches of at most `maxBatch`, at most
    // `maxJobs` jobs waiting.
    void startWriter(int maxBatch, int maxJobs);
    SendCommand send(const QString &clientMsgId, std::function<void(const SendResult &)> reply);

    RecordingSink m_sink;
    MembershipCache m_members;
    std::unique_ptr<MessageWriter> m_writer;
    qint64 m_a = 0, m_conversation = 0;
};

void tst_MessageWriter::init()
{
    QVERIFY(openDatabase());
    m_a = addUser(db(), u"ali"_s);
    const qint64 b = addUser(db(), u"berk"_s, Role::Tradesman);
    m_conversation = store::openConversation(db(), m_a, b, 1).id;
}

void tst_MessageWriter::cleanup()
{
    m_writer.reset();
    m_sink.clear();
    m_db.reset();
}

void tst_MessageWriter::startWriter(int maxBatch, int maxJobs)
{
    QString error;
    const auto url = DatabaseUrl::parse(m_url, m_dir.path(), error);
    QVERIFY2(url, qPrintable(error));
    m_writer = std::make_unique<MessageWriter>(*url, m_sink, m_members, maxBatch, maxJobs,
                                               MessageWriter::Metrics{});
    QVERIFY2(m_writer->start(error), qPrintable(error));
}

SendCommand tst_MessageWriter::send(const QString &clientMsgId,
                                    std::function<void(const SendResult &)> reply)
{
    SendCommand c;
    c.send = {m_a, m_conversation, clientMsgId, u"body"_s};
    c.reply = std::move(reply);
    return c;
}

void tst_MessageWriter::jobQueueIsBounded()
{
    startWriter(1000, 100);
    WriterGate gate;
    QVERIFY(gate.hold(*m_writer));
    std::atomic<int> ran{0};
    for (int i = 0; i < 100; ++i)
        QVERIFY(m_writer->post([&](Db &) { ++ran; }));
    QVERIFY(!m_writer->post([&](Db &) { ++ran; })); // the 101st waiting job
    QCOMPARE(m_writer->backlog(), 100);
    gate.release();
    QTRY_COMPARE(ran.load(), 100);
    QVERIFY(m_writer->post([&](Db &) { ++ran; })); // room again
    QTRY_COMPARE(ran.load(), 101);
}

// The audit's shape: the writer is running a long list of jobs when a send
// arrives. It must go out after a few milliseconds of jobs, not after all.
void tst_MessageWriter::jobsDoNotHoldBackASend()
{
    constexpr int kJobs = 500; // about half a second of work
    startWriter(1000, 10000);
    Log log;
    QSemaphore replied;
    WriterGate gate;
    QVERIFY(gate.hold(*m_writer));
    for (int i = 0; i < kJobs; ++i)
        QVERIFY(m_writer->post([&, i](Db &) {
            if (i == 0) // the send arrives while the jobs run
                m_writer->submit(send(u"during-jobs"_s, [&](const SendResult &r) {
                    log.add(r.status == SendResult::Status::Stored ? 'S' : 'X');
                    replied.release();
                }));
            busyMillisecond();
            log.add('J');
        }));
    gate.release();
    QVERIFY(replied.tryAcquire(1, 30000));
    QTRY_COMPARE(log.order().size(), kJobs + 1);
    const qsizetype jobsBefore = log.order().indexOf('S');
    // 5 ms of jobs between batches, and the batch itself.
    QVERIFY2(jobsBefore < 50, qPrintable(QStringLiteral("%1 jobs ran first").arg(jobsBefore)));
}

void tst_MessageWriter::sendsDoNotHoldBackJobs()
{
    constexpr int kSends = 200;
    startWriter(10, 10000);
    Log log;
    QSemaphore done;
    WriterGate gate;
    QVERIFY(gate.hold(*m_writer));
    for (int i = 0; i < kSends; ++i)
        m_writer->submit(send(u"s%1"_s.arg(i), [&](const SendResult &) {
            log.add('S');
            done.release();
        }));
    QVERIFY(m_writer->post([&](Db &) {
        log.add('J');
        done.release();
    }));
    gate.release();
    QVERIFY(done.tryAcquire(kSends + 1, 60000));
    // At the latest after the first batch of ten, the job's turn.
    const qsizetype at = log.order().indexOf('J');
    QVERIFY2(at >= 0 && at <= 10, qPrintable(QStringLiteral("the job ran after %1 sends").arg(at)));
}

// Delivery hears of a batch before any of its senders hears the ack, in
// commit order (ids ascending), one call per batch, and a resent
// client_msg_id is acked again but never delivered twice.
void tst_MessageWriter::batchesReachTheSinkBeforeTheirAcks()
{
    constexpr int kSends = 30;
    startWriter(10, 100);
    QSemaphore done;
    QMutex mutex;
    QList<qint64> acked;
    int unseenAtAck = 0;
    WriterGate gate;
    QVERIFY(gate.hold(*m_writer));
    auto reply = [&](const SendResult &r) {
        {
            QMutexLocker lock(&mutex);
            if (r.status == SendResult::Status::Stored) {
                acked.push_back(r.message->message.id);
                if (!m_sink.ids().contains(r.message->message.id))
                    ++unseenAtAck;
            }
        }
        // Once the last release is seen the test returns and the mutex is
        // gone: nothing of the lock may be left to undo after it.
        done.release();
    };
    for (int i = 0; i < kSends; ++i)
        m_writer->submit(send(u"c%1"_s.arg(i), reply));
    m_writer->submit(send(u"c0"_s, reply)); // the same client_msg_id again
    gate.release();
    QVERIFY(done.tryAcquire(kSends + 1, 60000));
    QCOMPARE(unseenAtAck, 0);
    const QList<qint64> delivered = m_sink.ids();
    QCOMPARE(delivered.size(), kSends);
    QVERIFY(std::is_sorted(delivered.begin(), delivered.end()));
    QCOMPARE(delivered, acked);
    QCOMPARE(m_sink.batches(), 3); // batches of at most ten
}

bool tst_MessageWriter::startWriterThrough(CommitCuttingProxy &proxy, CommitCuttingProxy::Mode mode,
                                           qint64 resolveDeadlineMs)
{
    QUrl direct(m_url);
    if (!proxy.start(quint16(direct.port())))
        return false;
    direct.setPort(proxy.port());
    direct.setQuery(u"sslmode=disable"_s); // the proxy reads the statements
    QString error;
    const auto url = DatabaseUrl::parse(direct.toString(), m_dir.path(), error);
    if (!url) {
        qWarning("%s", qPrintable(error));
        return false;
    }
    m_writer = std::make_unique<MessageWriter>(*url, m_sink, m_members, 10, 100,
                                               MessageWriter::Metrics{});
    m_writer->setResolveDeadline(resolveDeadlineMs);
    // The writer connects from its thread and waits: the proxy's event loop
    // (this thread's) must turn meanwhile.
    std::atomic<bool> started{false}, ok{false};
    std::thread starter([&] {
        ok = m_writer->start(error);
        started = true;
    });
    // start() gives up on its own (connect_timeout): this wait is bounded.
    (void)QTest::qWaitFor([&] { return started.load(); }, 60000);
    starter.join();
    if (!ok)
        qWarning("%s", qPrintable(error));
    proxy.arm(mode);
    return ok;
}

bool tst_MessageWriter::submitAndHoldCommit(CommitCuttingProxy &proxy, SendCommand send)
{
    const QString clientMsgId = send.send.clientMsgId;
    m_writer->submit(std::move(send));
    return QTest::qWaitFor([&] { return proxy.commitSeen(); }, 30000)
           && QTest::qWaitFor([&] { return storedCount(clientMsgId) == 1; }, 30000);
}

qint64 tst_MessageWriter::storedCount(const QString &clientMsgId)
{
    return scalar(db(), "SELECT count(*) FROM messages WHERE sender_id = $1 AND client_msg_id = $2",
                  {m_a, clientMsgId});
}

// What one send's reply said, read by the test thread.
struct Reply
{
    std::atomic<bool> came{false};
    SendResult result;
    std::function<void(const SendResult &)> callback()
    {
        return [this](const SendResult &r) {
            result = r;
            came = true;
        };
    }
};

// The finding of docs/reliability.md: PostgreSQL committed, the answers
// were lost with the connection, and the sender heard `unavailable`. Now the
// writer looks the send up after reconnecting: acked as stored, and handed
// to delivery exactly once.
void tst_MessageWriter::commitWhoseAnswerWasLostIsAcked()
{
    if (dialect() == u"sqlite")
        QSKIP("SQLite runs in process: no connection to lose");
    CommitCuttingProxy proxy;
    QVERIFY(startWriterThrough(proxy, CommitCuttingProxy::Mode::HoldAfterCommit));
    Reply reply;
    // Committed on the server while its answer is held back.
    QVERIFY(submitAndHoldCommit(proxy, send(u"lost-answer"_s, reply.callback())));
    QVERIFY(!reply.came);
    const int connectionsBefore = proxy.connections();
    proxy.cutClient();
    QTRY_VERIFY_WITH_TIMEOUT(reply.came.load(), 30000);
    QCOMPARE(reply.result.status, SendResult::Status::Stored);
    QVERIFY(proxy.connections() > connectionsBefore); // it reconnected to look
    const qint64 id = scalar(db(), "SELECT id FROM messages WHERE client_msg_id = $1", {u"lost-answer"_s});
    QCOMPARE(reply.result.message->message.id, id);
    QCOMPARE(m_sink.ids(), QList<qint64>{id});
    // A resend is the original again, not delivered a second time.
    Reply again;
    m_writer->submit(send(u"lost-answer"_s, again.callback()));
    QTRY_VERIFY_WITH_TIMEOUT(again.came.load(), 30000);
    QCOMPARE(again.result.status, SendResult::Status::Duplicate);
    QCOMPARE(again.result.message->message.id, id);
    QCOMPARE(m_sink.ids(), QList<qint64>{id});
    QCOMPARE(storedCount(u"lost-answer"_s), 1);
}

// The connection is lost with the COMMIT that never reached the server:
// looked up, not found, refused `unavailable` (Failed) as before.
void tst_MessageWriter::commitThatNeverRanIsRefused()
{
    if (dialect() == u"sqlite")
        QSKIP("SQLite runs in process: no connection to lose");
    CommitCuttingProxy proxy;
    QVERIFY(startWriterThrough(proxy, CommitCuttingProxy::Mode::DropCommit));
    Reply reply;
    m_writer->submit(send(u"never-ran"_s, reply.callback()));
    QTRY_VERIFY_WITH_TIMEOUT(reply.came.load(), 30000);
    QVERIFY(proxy.commitSeen());
    QCOMPARE(reply.result.status, SendResult::Status::Failed);
    QCOMPARE(storedCount(u"never-ran"_s), 0);
    QVERIFY(m_sink.ids().isEmpty());
}

// The database stays away after the lost answer: the sender waits for the
// deadline, then hears Unknown (never `unavailable`, which says "not
// stored": this one was).
void tst_MessageWriter::lostCommitPastTheDeadlineIsUnknown()
{
    if (dialect() == u"sqlite")
        QSKIP("SQLite runs in process: no connection to lose");
    CommitCuttingProxy proxy;
    QVERIFY(startWriterThrough(proxy, CommitCuttingProxy::Mode::HoldAfterCommit, 300));
    Reply reply;
    QVERIFY(submitAndHoldCommit(proxy, send(u"stays-unknown"_s, reply.callback())));
    proxy.setRefusing(true);
    proxy.cutClient();
    QTRY_VERIFY_WITH_TIMEOUT(reply.came.load(), 30000);
    QCOMPARE(reply.result.status, SendResult::Status::Unknown);
    QVERIFY(m_sink.ids().isEmpty());
    // Back again: a resend finds the original (those before the writer's
    // next reconnect attempt are refused: resent until one is not).
    proxy.setRefusing(false);
    QDeadlineTimer deadline(30000);
    SendResult::Status status = SendResult::Status::Failed;
    while (status == SendResult::Status::Failed && !deadline.hasExpired()) {
        Reply again;
        m_writer->submit(send(u"stays-unknown"_s, again.callback()));
        QTRY_VERIFY_WITH_TIMEOUT(again.came.load(), 30000);
        status = again.result.status;
    }
    QCOMPARE(status, SendResult::Status::Duplicate);
    QCOMPARE(storedCount(u"stays-unknown"_s), 1);
}

QTEST_MAIN(tst_MessageWriter)
#include "tst_message_writer.moc"
