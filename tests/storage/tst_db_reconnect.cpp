// Db's connection handling while PostgreSQL restarts under load: a writer
// thread (pipelined group commits) and reader threads keep going while a
// PostgreSQL of this test's own is stopped fast, immediately, kept down, and
// restarted again while it is still starting up. Nothing crashes (the ASan
// build catches a freed libpq handle used again), every failure is a
// connection error, each thread recovers after each restart, and every
// acknowledged message is in the database at the end.

#include "storage_test.h"

#include "service_processes.h"
#include "storage/conversation_store.h"
#include "storage/message_batch.h"

#include <QMutex>
#include <atomic>
#include <thread>

using namespace sanayicin;
using namespace sanayicin::test;
using namespace Qt::StringLiterals;

// Freed memory reads as zeros here (ASan keeps it in quarantine, unused): a
// libpq handle used after QPSQL freed it then looks like a healthy
// connection with no buffers, and the next statement crashes inside libpq
// every time, instead of now and then as in production where the memory is
// reused (libpq itself is not instrumented, so ASan alone would not see the
// read).
#if defined(__SANITIZE_ADDRESS__)
extern "C" const char *__asan_default_options()
{
    return "max_free_fill_size=1048576:free_fill_byte=0";
}
#endif

namespace {

// What one worker thread saw, read by the test thread.
struct Tally
{
    std::atomic<qint64> ok{0};
    std::atomic<qint64> connectionErrors{0};
    std::atomic<qint64> otherErrors{0};
    QMutex mutex;
    QStringList otherDetails;
    std::atomic<bool> opened{false};

    void failed(const DbError &e)
    {
        if (e.kind() == DbError::Kind::Connection) {
            ++connectionErrors;
            return;
        }
        ++otherErrors;
        QMutexLocker lock(&mutex);
        if (otherDetails.size() < 10)
            otherDetails << QString::fromUtf8(e.what());
    }
};

} // namespace

class tst_DbReconnect : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void multiHostUrlFailsOver();
    void restartsUnderLoad();

private:
    void startWorkers();
    void stopWorkers();
    // Waits until every worker has succeeded again after `marks`.
    bool allRecovered(const std::vector<qint64> &marks, int timeoutMs);
    std::vector<qint64> marks() const;

    PostgresServer m_pg;
    std::optional<DatabaseUrl> m_url;
    qint64 m_alice = 0, m_conversation = 0;

    std::atomic<bool> m_stop{false};
    std::vector<std::thread> m_threads;
    std::vector<std::unique_ptr<Tally>> m_tallies;
    QMutex m_ackedMutex;
    QList<qint64> m_acked; // message ids the writer got back from a commit
};

void tst_DbReconnect::initTestCase()
{
    initSanayicinResources();
    QString error;
    QVERIFY2(m_pg.start(error), qPrintable(error));
    QVERIFY2(m_pg.createDatabase(u"reconnect"_s, error), qPrintable(error));
    m_url = DatabaseUrl::parse(m_pg.url(u"reconnect"_s), QString(), error);
    QVERIFY2(m_url, qPrintable(error));
    auto db = Db::connect(*m_url, u"setup"_s, error);
    QVERIFY2(db, qPrintable(error));
    int applied = 0;
    QVERIFY2(Migrator(*db).migrate(applied, error), qPrintable(error));
    m_alice = addUser(*db, u"alice"_s);
    const qint64 bob = addUser(*db, u"bob"_s, Role::Tradesman);
    m_conversation = store::openConversation(*db, m_alice, bob, 1).id;
}

void tst_DbReconnect::cleanupTestCase()
{
    stopWorkers();
}

// libpq tries a URL's hosts in order: with the first one refusing, the
// connection lands on the second, in both spellings of the list. Hosts that
// all refuse give an error that names them and not the password.
void tst_DbReconnect::multiHostUrlFailsOver()
{
    const quint16 dead = freeLocalPort();
    const QString forms[] = {
        u"postgresql://sanayicin:sanayicin-test@127.0.0.1:%1,[::1]:%1,127.0.0.1:%2/reconnect"
        "?target_session_attrs=read-write&connect_timeout=2"_s.arg(dead).arg(m_pg.port()),
        u"postgresql://sanayicin:sanayicin-test@/reconnect?host=127.0.0.1,127.0.0.1&port=%1,%2"_s
            .arg(dead)
            .arg(m_pg.port()),
    };
    for (const QString &form : forms) {
        QString error;
        const auto url = DatabaseUrl::parse(form, QString(), error);
        QVERIFY2(url, qPrintable(error));
        auto db = Db::connect(*url, u"failover"_s, error);
        QVERIFY2(db, qPrintable(error));
        QCOMPARE(scalar(*db, "SELECT 1"), 1);
    }
    QString error;
    const auto none = DatabaseUrl::parse(
        u"postgresql://sanayicin:sanayicin-test@127.0.0.1:%1,127.0.0.1:%1/reconnect"_s.arg(dead), QString(), error);
    QVERIFY2(none, qPrintable(error));
    QVERIFY(!Db::connect(*none, u"failover"_s, error));
    QVERIFY2(error.contains(QString::number(dead)), qPrintable(error));
    QVERIFY2(!error.contains(u"sanayicin-test"_s), qPrintable(error));
}

void tst_DbReconnect::startWorkers()
{
    // Threads 0..2 read; thread 3 writes. Each opens its own connection, as
    // the daemon's pool and writer do, and paces itself a little: the point
    // is to be inside libpq whenever the server goes away, not to burn CPU.
    for (int i = 0; i < 4; ++i) {
        m_tallies.push_back(std::make_unique<Tally>());
        Tally *tally = m_tallies.back().get();
        const bool writer = i == 3;
        m_threads.emplace_back([this, tally, writer, i] {
            QString error;
            auto db = Db::connect(*m_url, u"worker%1"_s.arg(i), error);
            if (!db) {
                qWarning("worker %d cannot connect: %s", i, qPrintable(error));
                return;
            }
            tally->opened = true;
            int n = 0;
            QString pendingId; // a send not yet acknowledged is sent again, as clients do
            while (!m_stop) {
                try {
                    if (writer) {
                        if (pendingId.isEmpty())
                            pendingId = u"m%1"_s.arg(++n);
                        const auto stored = store::storeMessageBatch(
                            *db, {{m_alice, m_conversation, pendingId, u"body"_s}}, 1'700'000'000'000 + n);
                        {
                            QMutexLocker lock(&m_ackedMutex);
                            m_acked << stored.at(0).message.id;
                        }
                        pendingId.clear();
                    } else if (n++ % 2) {
                        db->query(u"message_counter"_s);
                    } else {
                        Transaction t(*db);
                        db->query(u"conversation_members"_s, {m_conversation});
                        t.commit();
                    }
                    ++tally->ok;
                } catch (const DbError &e) {
                    tally->failed(e);
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
            }
        });
    }
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(m_tallies.begin(), m_tallies.end(),
                                         [](const auto &t) { return t->ok > 0; }),
                             20000);
}

void tst_DbReconnect::stopWorkers()
{
    m_stop = true;
    for (std::thread &t : m_threads)
        t.join();
    m_threads.clear();
}

std::vector<qint64> tst_DbReconnect::marks() const
{
    std::vector<qint64> out;
    for (const auto &t : m_tallies)
        out.push_back(t->ok);
    return out;
}

bool tst_DbReconnect::allRecovered(const std::vector<qint64> &before, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        bool all = true;
        for (size_t i = 0; i < before.size(); ++i)
            all = all && m_tallies[i]->ok > before[i];
        if (all)
            return true;
        QThread::msleep(20);
    }
    return false;
}

void tst_DbReconnect::restartsUnderLoad()
{
    startWorkers();
    QString error;
    auto failures = [this] {
        qint64 n = 0;
        for (const auto &t : m_tallies)
            n += t->connectionErrors;
        return n;
    };

    struct Step
    {
        const char *name;
        std::function<bool(QString &)> run;
    };
    const std::vector<Step> steps{
        {"restart -m fast",
         [this](QString &e) { return m_pg.stop(u"fast"_s, e) && m_pg.startNoWait(e); }},
        {"restart -m immediate (crash recovery)",
         [this](QString &e) { return m_pg.stop(u"immediate"_s, e) && m_pg.startNoWait(e); }},
        // Every reconnect attempt fails while the server is down: the case
        // that left the freed handle behind.
        {"down for a while",
         [this](QString &e) {
             if (!m_pg.stop(u"immediate"_s, e))
                 return false;
             QThread::msleep(700);
             return m_pg.startNoWait(e);
         }},
        // Stopped again while it is still starting up ("the database system
        // is starting up" for the reconnects in between).
        {"restart while starting up",
         [this](QString &e) {
             if (!m_pg.stop(u"immediate"_s, e) || !m_pg.startNoWait(e))
                 return false;
             if (!m_pg.waitStarted(10000)) {
                 e = u"the postmaster did not start"_s;
                 return false;
             }
             return m_pg.stop(u"immediate"_s, e) && m_pg.startNoWait(e);
         }},
    };
    for (const Step &step : steps) {
        const qint64 failuresBefore = failures();
        QVERIFY2(step.run(error), qPrintable(u"%1: %2"_s.arg(QLatin1StringView(step.name), error)));
        QVERIFY2(m_pg.waitReady(60000), step.name);
        const std::vector<qint64> after = marks();
        QVERIFY2(allRecovered(after, 20000), step.name);
        QVERIFY2(failures() > failuresBefore, step.name); // the outage was seen
    }
    stopWorkers();

    for (const auto &t : m_tallies) {
        QVERIFY(t->opened);
        QVERIFY2(t->otherErrors == 0, qPrintable(t->otherDetails.join(u"\n"_s)));
    }
    // Every acknowledged message is stored, once.
    QString e;
    auto db = Db::connect(*m_url, u"check"_s, e);
    QVERIFY2(db, qPrintable(e));
    QVERIFY(m_acked.size() > 10);
    const DbRows rows = rawQuery(*db, "SELECT id FROM messages ORDER BY id");
    QSet<qint64> stored;
    for (int r = 0; r < rows.size(); ++r)
        stored.insert(rows.int64(r, 0));
    QCOMPARE(QSet<qint64>(m_acked.cbegin(), m_acked.cend()).size(), m_acked.size());
    for (qint64 id : std::as_const(m_acked))
        QVERIFY2(stored.contains(id), qPrintable(u"acknowledged message %1 is missing"_s.arg(id)));
}

QTEST_GUILESS_MAIN(tst_DbReconnect)
#include "tst_db_reconnect.moc"
