// Redis Sentinel failover under two daemons (issue 12, fault 3): the
// daemons reach Redis through redis+sentinel:// (tests/services/
// redis-sentinel.sh: a primary, a replica, three sentinels, quorum 2). The
// primary is frozen (SIGSTOP, as a hung host: no connection is closed), the
// sentinels promote the replica, and the daemons must follow: their
// connections land on the new master, cross-instance delivery works again,
// and every acknowledged message reaches the peer and the final sync.

#include "daemon_process.h"
#include "http_client.h"
#include "redis_cli.h"
#include "test_env.h"
#include "ws_client.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>
#include <memory>

using namespace sanayicin::test;

namespace {

// The message id of an ack or a message frame.
qint64 idOf(const QJsonObject &frame)
{
    return frame.value(QStringLiteral("message")).toObject().value(QStringLiteral("id")).toInteger();
}

// Subscribers of our own on a Redis (the sentinels' connections have names).
int daemonSubscribers(quint16 port)
{
    int n = 0;
    for (const QByteArray &line : redisCommand(port, {"CLIENT", "LIST"}).split('\n'))
        if (line.contains("cmd=subscribe") && !line.contains("name=sentinel"))
            ++n;
    return n;
}

bool isMaster(quint16 port)
{
    return redisCommand(port, {"INFO", "replication"}).contains("role:master");
}

} // namespace

class tst_Failover : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();
    void sentinelFailoverLosesNothing();

private:
    bool script(const QString &command, QString &error);
    QString env(const QString &key) const { return m_env.value(key); }

    QTemporaryDir m_dir;
    QString m_state;
    QHash<QString, QString> m_env;
    std::vector<std::unique_ptr<DaemonProcess>> m_daemons;
    std::vector<std::unique_ptr<HttpClient>> m_http;
    int m_primaryPid = 0;
};

bool tst_Failover::script(const QString &command, QString &error)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral(SANAYICIN_SOURCE_DIR "/tests/services/redis-sentinel.sh"), {command, m_state});
    if (!p.waitForFinished(60000) || p.exitCode() != 0) {
        error = QString::fromUtf8(p.readAll());
        return false;
    }
    return true;
}

void tst_Failover::initTestCase()
{
    m_state = m_dir.filePath(QStringLiteral("sentinel"));
    QString error;
    QVERIFY2(script(QStringLiteral("start"), error), qPrintable(error));
    QFile f(m_state + QStringLiteral("/env"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    for (const QByteArray &line : f.readAll().split('\n')) {
        const qsizetype eq = line.indexOf('=');
        if (eq > 0)
            m_env.insert(QString::fromUtf8(line.left(eq)), QString::fromUtf8(line.mid(eq + 1)));
    }
    m_primaryPid = env(QStringLiteral("SANAYICIN_TEST_REDIS_PRIMARY_PID")).toInt();
    QVERIFY(m_primaryPid > 0);

    const QString database = freshDatabaseUrl(QStringLiteral("postgresql"), m_dir.path());
    for (int i = 0; i < 2; ++i) {
        auto d = std::make_unique<DaemonProcess>();
        QStringList args = DaemonProcess::defaultArgs();
        args << QStringLiteral("--redis") << env(QStringLiteral("SANAYICIN_TEST_SENTINEL_URL"))
             << QStringLiteral("--instance-id") << QStringLiteral("node%1").arg(i + 1);
        QVERIFY2(d->start(database, args, error), qPrintable(error));
        m_http.push_back(std::make_unique<HttpClient>(d->httpUrl(QString())));
        m_daemons.push_back(std::move(d));
    }
    for (auto &h : m_http)
        QTRY_VERIFY_WITH_TIMEOUT(h->get(QStringLiteral("/metrics")).body.contains("sanayicin_bridge_connected 1"),
                                 15000);
}

void tst_Failover::cleanup()
{
    if (!QTest::currentTestFailed())
        return;
    for (size_t i = 0; i < m_daemons.size(); ++i)
        qWarning().noquote() << "---- log of node" << i + 1 << "----\n"
                             << QString::fromUtf8(m_daemons[i]->log().right(6000));
}

void tst_Failover::cleanupTestCase()
{
    for (auto &d : m_daemons)
        d->terminate();
    QString error;
    if (!m_state.isEmpty() && !script(QStringLiteral("stop"), error))
        qWarning().noquote() << error;
}

void tst_Failover::sentinelFailoverLosesNothing()
{
    const quint16 primary = quint16(env(QStringLiteral("SANAYICIN_TEST_REDIS_PRIMARY_PORT")).toUInt());
    const quint16 replica = quint16(env(QStringLiteral("SANAYICIN_TEST_REDIS_REPLICA_PORT")).toUInt());
    // Both daemons subscribe on the master the sentinels named.
    QTRY_VERIFY_WITH_TIMEOUT(daemonSubscribers(primary) >= 2, 10000);

    HttpClient &h = *m_http[0];
    const auto a = h.registerUser(QStringLiteral("failover_a"));
    const auto b = h.registerUser(QStringLiteral("failover_b"), QStringLiteral("tradesman"));
    const qint64 conv = h.conversation(a, b.id);
    WsClient wa, wb;
    QVERIFY(!wa.connectAndHello(m_daemons[0]->wsUrl(), a.token).isEmpty());
    QVERIFY(!wb.connectAndHello(m_daemons[1]->wsUrl(), b.token).isEmpty());

    QList<qint64> acked;
    int sent = 0;
    auto sendOne = [&] {
        const QString id = QStringLiteral("f%1").arg(++sent);
        wa.send(WsClient::sendFrame(conv, id, QStringLiteral("round %1").arg(sent)));
        const QJsonObject reply = wa.nextWhere([&](const QJsonObject &o) {
            return o.value(QStringLiteral("client_msg_id")).toString() == id;
        }, 10000);
        // An ack, or a clear error; never silence.
        QVERIFY2(!reply.isEmpty(), qPrintable(QStringLiteral("no answer to %1").arg(id)));
        if (reply.value(QStringLiteral("type")).toString() == u"ack")
            acked << idOf(reply);
    };
    for (int i = 0; i < 5; ++i)
        sendOne();
    QTRY_COMPARE_WITH_TIMEOUT(wb.received(QStringLiteral("message")).size(), acked.size(), 10000);

    // Freeze the primary: nothing is closed, the daemons must learn of the
    // switch from the sentinels or by their own deadlines.
    QElapsedTimer sinceFault;
    sinceFault.start();
    QCOMPARE(::kill(m_primaryPid, SIGSTOP), 0);
    QElapsedTimer promoted;
    while (!isMaster(replica)) {
        sendOne(); // the sends go on meanwhile
        QTest::qWait(100);
        QVERIFY2(sinceFault.elapsed() < 30000, "the sentinels did not promote the replica");
    }
    const qint64 promotedMs = sinceFault.elapsed();
    promoted.start();
    // Both daemons follow: subscribed on the new master, bridge up.
    while (daemonSubscribers(replica) < 2) {
        sendOne();
        QTest::qWait(100);
        QVERIFY2(promoted.elapsed() < 20000, "the daemons did not follow the new master");
    }
    for (auto &http : m_http)
        QTRY_VERIFY_WITH_TIMEOUT(http->get(QStringLiteral("/metrics")).body.contains("sanayicin_bridge_connected 1"),
                                 10000);
    const qint64 followedMs = sinceFault.elapsed();

    // Cross-instance delivery through the new master.
    const qsizetype before = wb.received(QStringLiteral("message")).size();
    QElapsedTimer live;
    live.start();
    sendOne();
    QTRY_VERIFY_WITH_TIMEOUT(wb.received(QStringLiteral("message")).size() > before, 10000);
    qInfo().noquote() << QStringLiteral("sentinel failover: replica promoted %1 ms after SIGSTOP, "
                                        "both daemons on the new master at %2 ms, a message across "
                                        "instances in %3 ms after that")
                             .arg(promotedMs)
                             .arg(followedMs)
                             .arg(live.elapsed());

    // The old primary wakes up and is made a replica; nothing changes for us.
    QCOMPARE(::kill(m_primaryPid, SIGCONT), 0);
    for (int i = 0; i < 5; ++i)
        sendOne();

    // Every acknowledged message reached the peer, once, in order, and is in
    // the final sync.
    QTRY_COMPARE_WITH_TIMEOUT(wb.received(QStringLiteral("message")).size(), acked.size(), 15000);
    QList<qint64> got;
    for (const QJsonObject &m : wb.received(QStringLiteral("message")))
        got << idOf(m);
    QCOMPARE(got, acked);
    const HttpResult history = m_http[1]->get(
        QStringLiteral("/api/v1/conversations/%1/messages?limit=200").arg(conv), b.token);
    QList<qint64> synced;
    for (const auto &m : history.json().value(QStringLiteral("items")).toArray())
        synced << m.toObject().value(QStringLiteral("id")).toInteger();
    std::sort(synced.begin(), synced.end());
    QCOMPARE(synced, acked);
    // The old primary is a replica now, and none of the daemons went back to it.
    QTRY_VERIFY_WITH_TIMEOUT(redisCommand(primary, {"INFO", "replication"}).contains("role:slave"), 10000);
    QCOMPARE(daemonSubscribers(primary), 0);
}

QTEST_GUILESS_MAIN(tst_Failover)
#include "tst_failover.moc"
