// Connecting to Redis never blocks the thread that owns the connection (the
// delivery thread in the daemon): host names are looked up elsewhere
// (QHostInfo), literal addresses need no lookup, and a name that does not
// resolve is a failed connect that is logged and retried. Against a
// redis-server of the suite's own.

#include "bridge/redis_connection.h"
#include "daemon_process.h"
#include "http_client.h"
#include "service_processes.h"

#include <QElapsedTimer>
#include <memory>
#include <QSignalSpy>
#include <QTimer>
#include <QtTest>

using namespace sanayicin;
using namespace sanayicin::test;

namespace {

RedisUrl urlFor(const QString &host, quint16 port)
{
    RedisUrl u;
    u.host = host;
    u.port = port;
    return u;
}

// Counts the warnings of the bridge's category that contain `needle`.
QAtomicInt g_matches;
QByteArray g_needle;
QtMessageHandler g_previous = nullptr;
void countingHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type == QtWarningMsg && message.toUtf8().contains(g_needle))
        g_matches.fetchAndAddRelaxed(1);
    g_previous(type, context, message);
}

} // namespace

class tst_RedisConnect : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_redis.start(error), qPrintable(error));
    }

    void literalAddressConnects()
    {
        RedisConnection c(urlFor(QStringLiteral("127.0.0.1"), m_redis.port()), QStringLiteral("test"));
        int lookups = 0;
        c.setResolver([&](const QString &, QObject *, RedisConnection::Resolved) { ++lookups; });
        QSignalSpy up(&c, &RedisConnection::connected);
        c.start();
        QVERIFY(!c.isResolving());
        QVERIFY(up.wait(5000));
        QCOMPARE(lookups, 0); // an address is not looked up
    }

    void hostNameConnects()
    {
        RedisConnection c(urlFor(QStringLiteral("localhost"), m_redis.port()), QStringLiteral("test"));
        QSignalSpy up(&c, &RedisConnection::connected);
        c.start();
        QVERIFY(up.wait(10000));
        QVERIFY(c.isConnected());
        bool answered = false;
        QVERIFY(c.command({"PING"}, [&](redisReply *r) { answered = r != nullptr; }));
        QTRY_VERIFY(answered);
    }

    // A command still waiting when its connection is destroyed is not called
    // back: its sender goes first at shutdown (the presence heartbeat's
    // callback ran on a freed PresenceService when the bridge went).
    void destroyedConnectionDropsPendingCallbacks()
    {
        auto c = std::make_unique<RedisConnection>(urlFor(QStringLiteral("127.0.0.1"), m_redis.port()),
                                                   QStringLiteral("test"));
        QSignalSpy up(c.get(), &RedisConnection::connected);
        c->start();
        QVERIFY(up.wait(5000));
        bool pinged = false;
        QVERIFY(c->command({"PING"}, [&](redisReply *r) { pinged = r != nullptr; }));
        QTRY_VERIFY(pinged); // callbacks do run while it lives
        int calls = 0;
        QVERIFY(c->command({"BLPOP", "tst_redis_connect:never", "5"}, [&](redisReply *) { ++calls; }));
        c.reset();
        QCOMPARE(calls, 0);
    }

    // While the lookup is pending the thread goes on with its other work
    // (here a timer on the same thread); the answer, when it comes, connects.
    void pendingLookupDoesNotBlockTheThread()
    {
        RedisConnection c(urlFor(QStringLiteral("redis.example"), m_redis.port()), QStringLiteral("test"));
        RedisConnection::Resolved answer;
        QString askedFor;
        c.setResolver([&](const QString &host, QObject *context, RedisConnection::Resolved done) {
            QCOMPARE(context, &c);
            askedFor = host;
            answer = std::move(done); // answered later, by the test
        });
        QSignalSpy up(&c, &RedisConnection::connected);
        c.start();
        QVERIFY(c.isResolving());
        QCOMPARE(askedFor, QStringLiteral("redis.example"));

        int ticks = 0;
        QTimer tick;
        connect(&tick, &QTimer::timeout, this, [&] { ++ticks; });
        tick.start(5);
        QTRY_VERIFY(ticks >= 20);
        QVERIFY(c.isResolving());
        QVERIFY(!c.isConnected());

        // An unreachable address first: the next one of the same answer is tried.
        answer({QHostAddress(QStringLiteral("::1")), QHostAddress(QStringLiteral("127.0.0.1"))}, {});
        QVERIFY(!c.isResolving());
        QVERIFY(up.wait(5000));
    }

    void unresolvableNameIsRetried()
    {
        g_needle = "cannot resolve nonexistent.invalid";
        g_matches = 0;
        g_previous = qInstallMessageHandler(countingHandler);
        {
            RedisConnection c(urlFor(QStringLiteral("nonexistent.invalid"), m_redis.port()),
                              QStringLiteral("test"));
            QSignalSpy up(&c, &RedisConnection::connected);
            int ticks = 0;
            QTimer tick;
            connect(&tick, &QTimer::timeout, this, [&] { ++ticks; });
            tick.start(5);
            QElapsedTimer started;
            started.start();
            c.start();
            QVERIFY(started.elapsed() < 50); // start() itself never waits for DNS
            // Failed, logged, and tried again (backoff 100 ms, then 200 ms).
            QTRY_VERIFY_WITH_TIMEOUT(g_matches.loadRelaxed() >= 2, 30000);
            QVERIFY(ticks > 0);
            QCOMPARE(up.count(), 0);
        }
        qInstallMessageHandler(g_previous);
    }

    // The daemon with such a Redis starts, serves, and keeps retrying.
    void daemonStaysUpWithUnresolvableRedis()
    {
        DaemonProcess daemon;
        QString error;
        QStringList args = DaemonProcess::defaultArgs();
        args << QStringLiteral("--redis") << QStringLiteral("redis://nonexistent.invalid:6379/0");
        QVERIFY2(daemon.start({}, args, error), qPrintable(error));
        HttpClient http(daemon.httpUrl({}));
        QCOMPARE(http.get(QStringLiteral("/healthz")).status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(daemon.log().count("cannot resolve nonexistent.invalid") >= 4, 30000);
        QCOMPARE(http.get(QStringLiteral("/healthz")).status, 200);
        QVERIFY(daemon.isRunning());
        QCOMPARE(daemon.terminate(), 0);
    }

private:
    RedisServer m_redis;
};

QTEST_GUILESS_MAIN(tst_RedisConnect)
#include "tst_redis_connect.moc"
