// Every lower layer that answers another thread (issue 9 item 5): the rate
// gate with shared buckets in Redis, the instances' summaries, the Redis
// recent-messages and directory caches, the authenticator's database path,
// the hub's gathering of connections and its forwarding to network threads.
// For each, storms in the manner of tst_mailbox: an object that asked is
// deleted on its own thread while the answers are still being sent from the
// answering thread, round after round. Run under ASan (the default build):
// an answer that reaches a destroyed object is a heap-use-after-free or a
// SEGV there. Against a redis-server of the suite's own and SQLite, so no
// shared services are needed.

#include "app/resources.h"
#include "auth/authenticator.h"
#include "auth/session_cache.h"
#include "bridge/bridge.h"
#include "bridge/shared_state.h"
#include "cache/directory_cache.h"
#include "cache/recent_messages.h"
#include "delivery/connection_host.h"
#include "delivery/local_hub.h"
#include "delivery/presence_view.h"
#include "limits/rate_gate.h"
#include "metrics/metrics.h"
#include "reply_storm.h"
#include "service_processes.h"
#include "storage/db_pool.h"
#include "storage/migrator.h"
#include "test_env.h"
#include "threading/mailbox.h"
#include "time/clock.h"

#include <QCoreApplication>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>
#include <atomic>
#include <thread>

using namespace sanayicin;
using namespace sanayicin::test;

namespace {

using Target = StormTarget;

// Held by each request's callback: counts the callbacks gone (run or
// dropped), whichever thread lets go of the last copy.
struct Token
{
    explicit Token(std::atomic<int> &r) : released(r) {}
    Token(const Token &) = delete;
    Token &operator=(const Token &) = delete;
    ~Token() { released.fetch_add(1, std::memory_order_relaxed); }
    std::atomic<int> &released;
};
using TokenPtr = std::shared_ptr<Token>;

struct StormCounts
{
    std::atomic<int> hits{0};
    std::atomic<int> released{0};
    int asked = 0;
};

// Rounds of: a target made on `owner`; `ask(target, token)` called there
// `requests` times (each request's callback calls target->hit() and holds
// the token); the target deleted on its thread while answers are being
// sent: in odd rounds once a quarter of them reached it (so some reach it
// for sure), in even ones right after the asking (so none may reach it).
// Every callback must be run or dropped before the next round.
template<typename Ask>
bool storm(QThread &owner, StormCounts &c, int rounds, int requests, Ask ask)
{
    for (int round = 0; round < rounds; ++round) {
        onThread(owner, [&] {
            const bool late = round % 2 == 1;
            auto *target = new Target(c.hits, late ? std::max(1, requests / 4) : 0);
            for (int i = 0; i < requests; ++i)
                ask(target, std::make_shared<Token>(c.released));
            if (!late)
                delete target;
        });
        c.asked += requests;
        QElapsedTimer t;
        t.start();
        while (c.released.load() < c.asked) {
            if (t.elapsed() > 30000) {
                qWarning("round %d: %d of %d callbacks still held", round, c.asked - c.released.load(),
                         c.asked);
                return false;
            }
            QThread::usleep(200);
        }
    }
    onThread(owner, [] {});
    qInfo("%d of %d answers reached a live target", c.hits.load(), c.asked);
    return true;
}

// A network thread's side of the hub for the forwarding storm.
class TestHost : public ConnectionHost
{
public:
    explicit TestHost(std::atomic<int> &hits) : m_target(hits) {}
    void deliverMessages(const MessageBatch &) override { m_target.hit(); }
    void deliverFrame(const QList<qint64> &, const QByteArray &) override { m_target.hit(); }
    void closeUser(qint64, int, const QString &) override {}
    void closeToken(qint64, const QByteArray &, int, const QString &) override {}
    void closeAll(int, const QString &) override {}
    QList<ConnectionSummary> summaries() const override
    {
        ConnectionSummary s;
        s.id = 1;
        return {s};
    }
    std::optional<qint64> closeConnection(qint64, int, const QString &) override { return std::nullopt; }

private:
    Target m_target;
};

RedisUrl urlOf(const RedisServer &redis)
{
    RedisUrl u;
    u.host = QStringLiteral("127.0.0.1");
    u.port = redis.port();
    return u;
}

} // namespace

class tst_ReplyStorms : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();

    void rateGateWithSharedBuckets();
    void sharedStateInstances();
    void recentMessagesGet();
    void recentMessagesDrop();
    void directoryGet();
    void directoryInvalidate();
    void authenticatorReadsTheDatabase();
    void gatherConnections();
    void forwardingToHostsThatStop();
    void callsFromAnotherThreadAnswerOnTheContextsThread();

private:
    // The delivery thread of the daemon: the bridge and the Redis caches.
    void startDelivery();

    RedisServer m_redis;
    QThread m_owner; // the asking thread (a network thread in the daemon)
    QThread m_delivery;
    Counter m_published, m_received, m_reconnects;
    Bridge *m_bridge = nullptr;
    RedisRecentMessages *m_recent = nullptr;
    RedisDirectoryCache *m_directory = nullptr;
};

void tst_ReplyStorms::initTestCase()
{
    initSanayicinResources();
    QString error;
    QVERIFY2(m_redis.start(error), qPrintable(error));
}

void tst_ReplyStorms::cleanupTestCase()
{
    m_redis.stop();
}

void tst_ReplyStorms::init()
{
    m_owner.start();
}

void tst_ReplyStorms::cleanup()
{
    if (m_delivery.isRunning()) {
        onThread(m_delivery, [this] {
            Mailbox::closeHere();
            delete m_recent;
            delete m_directory;
            delete m_bridge;
            m_recent = nullptr;
            m_directory = nullptr;
            m_bridge = nullptr;
        });
        m_delivery.quit();
        m_delivery.wait();
    }
    onThread(m_owner, [] { Mailbox::closeHere(); });
    m_owner.quit();
    m_owner.wait();
}

void tst_ReplyStorms::startDelivery()
{
    m_delivery.start();
    onThread(m_delivery, [this] {
        m_bridge = new Bridge(urlOf(m_redis), QStringLiteral("storm"),
                              {m_published, m_received, m_reconnects});
        m_recent = new RedisRecentMessages(*m_bridge, nullptr);
        m_directory = new RedisDirectoryCache(*m_bridge, nullptr);
        m_bridge->start();
    });
    bool up = false;
    QTRY_VERIFY_WITH_TIMEOUT((onThread(m_delivery, [&] { up = m_bridge->isUp(); }), up), 10000);
}

// Send's and typing's rate limits with Redis: the answer comes from the
// limits thread, one per request.
void tst_ReplyStorms::rateGateWithSharedBuckets()
{
    RateLimiter local;
    SharedState shared(urlOf(m_redis), [&local](const QByteArray &key, const RateRule &rule) {
        return local.take(key, rule, steadyNs());
    });
    shared.start();
    QTRY_VERIFY_WITH_TIMEOUT(shared.isUp(), 10000);
    RateGate gate(local);
    gate.setShared(&shared, [&shared] { return shared.isUp(); });
    const RateRule rule{1e6, 1e6};
    StormCounts c;
    QVERIFY(storm(m_owner, c, 200, 500, [&](Target *t, TokenPtr token) {
        gate.take(t, "storm:1", rule, [t, token](RateDecision) { t->hit(); });
    }));
    QVERIFY(c.hits.load() > 0);
    QVERIFY(c.hits.load() < c.asked);
}

void tst_ReplyStorms::sharedStateInstances()
{
    SharedState shared(urlOf(m_redis), [](const QByteArray &, const RateRule &) { return RateDecision{}; });
    shared.start();
    QTRY_VERIFY_WITH_TIMEOUT(shared.isUp(), 10000);
    StormCounts c;
    QVERIFY(storm(m_owner, c, 300, 300, [&](Target *t, TokenPtr token) {
        shared.instances(t, [t, token](QList<SharedState::InstanceLine>) { t->hit(); });
    }));
    QVERIFY(c.hits.load() > 0);
    QVERIFY(c.hits.load() < c.asked);
}

// History and sync read the recent-messages cache in Redis; a deletion by
// a moderator drops a list.
void tst_ReplyStorms::recentMessagesGet()
{
    startDelivery();
    RecentMessages &recent = *m_recent;
    StormCounts c;
    QVERIFY(storm(m_owner, c, 300, 300, [&](Target *t, TokenPtr token) {
        recent.get(t, {1, 2}, [t, token](RecentMessages::Found_) { t->hit(); });
    }));
    QVERIFY(c.hits.load() > 0);
    QVERIFY(c.hits.load() < c.asked);
}

void tst_ReplyStorms::recentMessagesDrop()
{
    startDelivery();
    RecentMessages &recent = *m_recent;
    StormCounts c;
    QVERIFY(storm(m_owner, c, 300, 300, [&](Target *t, TokenPtr token) {
        recent.drop(7, t, [t, token] { t->hit(); });
    }));
    QVERIFY(c.hits.load() > 0);
    QVERIFY(c.hits.load() < c.asked);
}

void tst_ReplyStorms::directoryGet()
{
    startDelivery();
    DirectoryCache &directory = *m_directory;
    StormCounts c;
    QVERIFY(storm(m_owner, c, 300, 300, [&](Target *t, TokenPtr token) {
        directory.get(t, "storm-key", [t, token](std::optional<DirectoryPageCache>, QByteArray) {
            t->hit();
        });
    }));
    QVERIFY(c.hits.load() > 0);
    QVERIFY(c.hits.load() < c.asked);
}

void tst_ReplyStorms::directoryInvalidate()
{
    startDelivery();
    DirectoryCache &directory = *m_directory;
    StormCounts c;
    QVERIFY(storm(m_owner, c, 300, 300, [&](Target *t, TokenPtr token) {
        directory.invalidate(t, [t, token] { t->hit(); });
    }));
    QVERIFY(c.hits.load() > 0);
    QVERIFY(c.hits.load() < c.asked);
}

// A token not in this instance's cache is looked up on the read pool.
void tst_ReplyStorms::authenticatorReadsTheDatabase()
{
    QTemporaryDir dir;
    QString error;
    const auto url = DatabaseUrl::parse(freshDatabaseUrl(QStringLiteral("sqlite"), dir.path()),
                                        dir.path(), error);
    QVERIFY2(url, qPrintable(error));
    {
        auto db = Db::connect(*url, QStringLiteral("migrate"), error);
        QVERIFY2(db, qPrintable(error));
        int applied = 0;
        QVERIFY2(Migrator(*db).migrate(applied, error), qPrintable(error));
    }
    DbPool readers(*url, 2, QStringLiteral("storm-read"), nullptr);
    QVERIFY2(readers.start(error), qPrintable(error));
    SessionCache sessions;
    Authenticator auth(sessions, readers);
    StormCounts c;
    QVERIFY(storm(m_owner, c, 300, 300, [&](Target *t, TokenPtr token) {
        auth.authenticate(t, QStringLiteral("no-such-token"),
                          [t, token](Authenticator::Outcome, const AuthUser &) { t->hit(); });
    }));
    QVERIFY(c.hits.load() > 0);
    QVERIFY(c.hits.load() < c.asked);
    readers.stop();
}

// The operations listing and the session re-check ask every network thread
// for its connections; the answers come from those threads.
void tst_ReplyStorms::gatherConnections()
{
    PresenceView view;
    LocalHub hub(view, nullptr);
    constexpr int kHosts = 3;
    std::vector<std::unique_ptr<QThread>> threads;
    std::vector<TestHost *> hosts;
    std::atomic<int> hostHits{0};
    for (int i = 0; i < kHosts; ++i) {
        threads.push_back(std::make_unique<QThread>());
        threads.back()->start();
        onThread(*threads.back(), [&] {
            hosts.push_back(new TestHost(hostHits));
            hub.addHost(hosts.back());
        });
    }
    StormCounts c;
    const bool ok = storm(m_owner, c, 600, 200, [&](Target *t, TokenPtr token) {
        hub.gatherConnections(t, [t, token](QList<ConnectionSummary> all) {
            if (all.size() != kHosts)
                qFatal("gathered %d parts of %d", int(all.size()), kHosts);
            t->hit();
        });
    });
    for (int i = 0; i < kHosts; ++i) {
        onThread(*threads[size_t(i)], [&, i] {
            Mailbox::closeHere();
            hub.removeHost(hosts[size_t(i)]);
            delete hosts[size_t(i)];
        });
        threads[size_t(i)]->quit();
        threads[size_t(i)]->wait();
    }
    QVERIFY(ok);
    QVERIFY(c.hits.load() > 0);
    QVERIFY(c.hits.load() < c.asked);
}

// The delivery thread forwards frames to every network thread's host while
// hosts stop: removed from the hub and deleted on their own thread (as a
// network thread does when its loop ends).
void tst_ReplyStorms::forwardingToHostsThatStop()
{
    PresenceView view;
    LocalHub hub(view, nullptr);
    std::atomic<int> hits{0};
    std::atomic<bool> stop{false};
    std::atomic<long> sent{0};
    std::thread delivery([&] {
        const QList<qint64> users{1};
        const QByteArray frame("{}");
        while (!stop.load(std::memory_order_relaxed)) {
            hub.sendToUsersHere(users, frame);
            sent.fetch_add(1, std::memory_order_relaxed);
        }
    });
    constexpr int kRounds = 300;
    for (int round = 0; round < kRounds; ++round) {
        TestHost *host = nullptr;
        onThread(m_owner, [&] {
            host = new TestHost(hits);
            hub.addHost(host);
        });
        // Some frames reach it, then it goes while more are on their way.
        const int before = hits.load();
        QElapsedTimer t;
        t.start();
        while (hits.load() < before + 20 && t.elapsed() < 10000)
            QThread::yieldCurrentThread();
        onThread(m_owner, [&] {
            hub.removeHost(host);
            delete host;
        });
    }
    stop = true;
    delivery.join();
    onThread(m_owner, [] {});
    qInfo("%d of %ld frames reached a live host", hits.load(), sent.load());
    QVERIFY(hits.load() >= kRounds * 20);
}

// A call made on another thread than its context's is answered on the
// context's thread, by the local limiter as through Redis, and by the
// authenticator's cache as through the database.
void tst_ReplyStorms::callsFromAnotherThreadAnswerOnTheContextsThread()
{
    RateLimiter local;
    SharedState shared(urlOf(m_redis), [&local](const QByteArray &key, const RateRule &rule) {
        return local.take(key, rule, steadyNs());
    });
    shared.start();
    QTRY_VERIFY_WITH_TIMEOUT(shared.isUp(), 10000);
    bool useRedis = false;
    RateGate gate(local);
    gate.setShared(&shared, [&] { return useRedis; });
    QObject *context = nullptr;
    onThread(m_owner, [&] { context = new QObject; });
    std::atomic<int> onOwner{0}, elsewhere{0};
    auto note = [&] { (QThread::currentThread() == &m_owner ? onOwner : elsewhere).fetch_add(1); };
    const RateRule rule{1e6, 1e6};
    for (bool redis : {false, true}) {
        useRedis = redis;
        std::thread caller([&] { gate.take(context, "elsewhere", rule, [&](RateDecision) { note(); }); });
        caller.join();
        QTRY_COMPARE_WITH_TIMEOUT(onOwner.load() + elsewhere.load(), redis ? 2 : 1, 10000);
    }
    QCOMPARE(elsewhere.load(), 0);
    QCOMPARE(onOwner.load(), 2);
    onThread(m_owner, [&] { delete context; });
}

QTEST_GUILESS_MAIN(tst_ReplyStorms)
#include "tst_reply_storms.moc"
