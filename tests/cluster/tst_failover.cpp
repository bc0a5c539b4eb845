// The engines' failover under two daemons (issue 12, faults 1 and 3).
//
// Redis Sentinel: the
// daemons reach Redis through redis+sentinel:// (tests/services/
// redis-sentinel.sh: a primary, a replica, three sentinels, quorum 2). The
// primary is frozen (SIGSTOP, as a hung host: no connection is closed), the
// sentinels promote the replica, and the daemons must follow: their
// connections land on the new master, cross-instance delivery works again,
// and every acknowledged message reaches the peer and the final sync.
//
// PostgreSQL primary switch: the daemons on a libpq multi-host URL with
// target_session_attrs=read-write (tests/services/pg-replica.sh: a primary
// and a streaming replica). The primary stops, the replica is promoted:
// sends meanwhile get an ack or a clear error (never silence), the acked
// ones survive, and sends are acked again on the new primary.

#include "bridge/redis_connection.h"
#include "daemon_process.h"
#include "http_client.h"
#include "lagging_sentinel.h"
#include "redis_cli.h"
#include "service_processes.h"
#include "test_env.h"
#include "ws_client.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <hiredis/hiredis.h>
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

// redis+sentinel:// with one sentinel on loopback.
sanayicin::RedisUrl throughSentinel(quint16 sentinelPort, const QString &masterName)
{
    sanayicin::RedisUrl url;
    url.sentinels = {{QStringLiteral("127.0.0.1"), sentinelPort}};
    url.host = url.sentinels.front().host;
    url.port = url.sentinels.front().port;
    url.masterName = masterName;
    return url;
}

bool isMaster(quint16 port)
{
    return redisCommand(port, {"INFO", "replication"}).contains("role:master");
}

} // namespace

// A conversation between a client on instance 1 and one on instance 2, and
// what the sender was told.
struct Chat
{
    qint64 conv = 0;
    QString readerToken;
    WsClient sender, reader;
    QList<qint64> acked;
    int errors = 0;
};

class tst_Failover : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();
    void sentinelsThatCannotAnswerAreSkipped();
    void aSentinelNamingAReplicaGoesToTheBack();
    void aDemotedMasterIsLeft();
    void destroyedWithItsRoleProbeOpen();
    void sentinelFailoverLosesNothing();
    void theWatchIsMadeAgainAfterASentinelOutage();
    void postgresPrimarySwitchLosesNothing();

private:
    bool script(const QString &name, const QString &command, const QString &state, QString &error);
    static QHash<QString, QString> readEnv(const QString &state);
    bool startDaemons(const QString &database, QString &error);
    // Sends one message and waits for its ack (noted in chat.acked) or its
    // error (counted in chat.errors); false when neither came.
    bool sendOne(Chat &chat);
    bool openChat(const QString &prefix, Chat &chat);
    // Every acked message reached the reader once, in order, and is in the
    // final sync from instance 2.
    void checkNothingLost(Chat &chat);
    QString env(const QString &key) const { return m_env.value(key); }

    QTemporaryDir m_dir;
    QString m_state;
    QHash<QString, QString> m_env;
    QString m_pgState;
    int m_sent = 0;
    std::vector<std::unique_ptr<DaemonProcess>> m_daemons;
    std::vector<std::unique_ptr<HttpClient>> m_http;
    int m_primaryPid = 0;
};

bool tst_Failover::script(const QString &name, const QString &command, const QString &state, QString &error)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral(SANAYICIN_SOURCE_DIR "/tests/services/") + name, {command, state});
    if (!p.waitForFinished(90000) || p.exitCode() != 0) {
        error = name + u' ' + command + QStringLiteral(": ") + QString::fromUtf8(p.readAll());
        return false;
    }
    return true;
}

QHash<QString, QString> tst_Failover::readEnv(const QString &state)
{
    QHash<QString, QString> env;
    QFile f(state + QStringLiteral("/env"));
    if (!f.open(QIODevice::ReadOnly))
        return env;
    for (const QByteArray &line : f.readAll().split('\n')) {
        const qsizetype eq = line.indexOf('=');
        if (eq > 0)
            env.insert(QString::fromUtf8(line.left(eq)), QString::fromUtf8(line.mid(eq + 1)));
    }
    return env;
}

bool tst_Failover::startDaemons(const QString &database, QString &error)
{
    for (auto &d : m_daemons)
        d->terminate();
    m_daemons.clear();
    m_http.clear();
    for (int i = 0; i < 2; ++i) {
        auto d = std::make_unique<DaemonProcess>();
        QStringList args = DaemonProcess::defaultArgs();
        args << QStringLiteral("--redis") << env(QStringLiteral("SANAYICIN_TEST_SENTINEL_URL"))
             << QStringLiteral("--instance-id") << QStringLiteral("node%1").arg(i + 1);
        if (!d->start(database, args, error))
            return false;
        m_http.push_back(std::make_unique<HttpClient>(d->httpUrl(QString())));
        m_daemons.push_back(std::move(d));
    }
    return true;
}

bool tst_Failover::sendOne(Chat &chat)
{
    const QString id = QStringLiteral("f%1").arg(++m_sent);
    chat.sender.send(WsClient::sendFrame(chat.conv, id, QStringLiteral("message %1").arg(m_sent)));
    const QJsonObject reply = chat.sender.nextWhere([&](const QJsonObject &o) {
        return o.value(QStringLiteral("client_msg_id")).toString() == id
               || o.value(QStringLiteral("ref")).toString() == id;
    }, 15000);
    if (reply.value(QStringLiteral("type")).toString() == u"ack")
        chat.acked << idOf(reply);
    else if (reply.value(QStringLiteral("type")).toString() == u"error")
        ++chat.errors;
    else
        return false;
    return true;
}

bool tst_Failover::openChat(const QString &prefix, Chat &chat)
{
    HttpClient &h = *m_http[0];
    const auto a = h.registerUser(prefix + QStringLiteral("_a"));
    const auto b = h.registerUser(prefix + QStringLiteral("_b"), QStringLiteral("tradesman"));
    chat.conv = h.conversation(a, b.id);
    chat.readerToken = b.token;
    return !chat.sender.connectAndHello(m_daemons[0]->wsUrl(), a.token).isEmpty()
           && !chat.reader.connectAndHello(m_daemons[1]->wsUrl(), b.token).isEmpty();
}

void tst_Failover::checkNothingLost(Chat &chat)
{
    QTRY_COMPARE_WITH_TIMEOUT(chat.reader.received(QStringLiteral("message")).size(), chat.acked.size(), 15000);
    QList<qint64> got;
    for (const QJsonObject &m : chat.reader.received(QStringLiteral("message")))
        got << idOf(m);
    QCOMPARE(got, chat.acked);
    const HttpResult history = m_http[1]->get(
        QStringLiteral("/api/v1/conversations/%1/messages?limit=200").arg(chat.conv), chat.readerToken);
    QVERIFY2(history.status == 200, history.body.constData());
    QList<qint64> synced;
    for (const auto &m : history.json().value(QStringLiteral("items")).toArray())
        synced << m.toObject().value(QStringLiteral("id")).toInteger();
    std::sort(synced.begin(), synced.end());
    QCOMPARE(synced, chat.acked);
}

void tst_Failover::initTestCase()
{
    m_state = m_dir.filePath(QStringLiteral("sentinel"));
    QString error;
    QVERIFY2(script(QStringLiteral("redis-sentinel.sh"), QStringLiteral("start"), m_state, error),
             qPrintable(error));
    m_env = readEnv(m_state);
    m_primaryPid = env(QStringLiteral("SANAYICIN_TEST_REDIS_PRIMARY_PID")).toInt();
    QVERIFY(m_primaryPid > 0);

    QVERIFY2(startDaemons(freshDatabaseUrl(QStringLiteral("postgresql"), m_dir.path()), error),
             qPrintable(error));
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
    if (!m_state.isEmpty() && !script(QStringLiteral("redis-sentinel.sh"), QStringLiteral("stop"), m_state, error))
        qWarning().noquote() << error;
    if (!m_pgState.isEmpty() && !script(QStringLiteral("pg-replica.sh"), QStringLiteral("stop"), m_pgState, error))
        qWarning().noquote() << error;
}

// The sentinels are asked in turn: one that is down, and a server that is
// no sentinel (it answers SENTINEL with an error), are passed over, and the
// connection lands on the master, which says ROLE master.
void tst_Failover::sentinelsThatCannotAnswerAreSkipped()
{
    QString error;
    auto url = sanayicin::RedisUrl::parse(env(QStringLiteral("SANAYICIN_TEST_SENTINEL_URL")), error);
    QVERIFY2(url, qPrintable(error));
    QTcpServer closed; // a port nothing listens on once it is closed
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const int downPort = closed.serverPort();
    closed.close();
    const int notSentinel = env(QStringLiteral("SANAYICIN_TEST_REDIS_REPLICA_PORT")).toInt();
    url->sentinels.prepend({QStringLiteral("127.0.0.1"), notSentinel});
    url->sentinels.prepend({QStringLiteral("127.0.0.1"), downPort});
    sanayicin::RedisConnection c(*url, QStringLiteral("skip test"));
    // Longer than the wait below: a refused sentinel is left at once, not
    // when its time is up.
    c.setTimeouts(2000, 30000);
    c.start();
    QTRY_VERIFY_WITH_TIMEOUT(c.isConnected(), 15000);
    QByteArray role;
    QVERIFY(c.command({"INFO", "replication"}, [&](redisReply *r) {
        if (r && r->type == REDIS_REPLY_STRING)
            role = QByteArray(r->str, qsizetype(r->len));
    }));
    QTRY_VERIFY_WITH_TIMEOUT(!role.isEmpty(), 5000);
    QVERIFY2(role.contains("role:master"), role.constData());
    QVERIFY(role.contains("connected_slaves:1"));
}

// A sentinel that names a server failing the ROLE check (one that lags
// behind a failover) goes to the back of the list, as the Sentinel client
// guidelines ask: the connection lands on the master through the next
// sentinel, which is asked first from then on.
void tst_Failover::aSentinelNamingAReplicaGoesToTheBack()
{
    const quint16 primary = quint16(env(QStringLiteral("SANAYICIN_TEST_REDIS_PRIMARY_PORT")).toUInt());
    const quint16 replica = quint16(env(QStringLiteral("SANAYICIN_TEST_REDIS_REPLICA_PORT")).toUInt());
    QVERIFY(isMaster(primary));
    LaggingSentinel lagging;
    QVERIFY(lagging.listen());
    lagging.name(replica);
    QString error;
    auto url = sanayicin::RedisUrl::parse(env(QStringLiteral("SANAYICIN_TEST_SENTINEL_URL")), error);
    QVERIFY2(url, qPrintable(error));
    const sanayicin::RedisUrl::Node laggingNode{QStringLiteral("127.0.0.1"), lagging.port()};
    url->sentinels.prepend(laggingNode);
    sanayicin::RedisConnection c(*url, QStringLiteral("rotation test"));
    c.start();
    // Asked first, it names the replica; the ROLE check refuses it, and the
    // next connect asks another sentinel.
    QTRY_VERIFY_WITH_TIMEOUT(c.isConnected(), 15000);
    QCOMPARE(c.masterPort(), int(primary));
    QCOMPARE(lagging.questions(), 1);
    QCOMPARE(c.sentinelOrder().size(), 4);
    QCOMPARE(c.sentinelOrder().last(), laggingNode);

    // A reconnect asks the sentinel that answered, not the lagging one.
    qint64 id = 0;
    QVERIFY(c.command({"CLIENT", "ID"}, [&](redisReply *r) {
        if (r && r->type == REDIS_REPLY_INTEGER)
            id = r->integer;
    }));
    QTRY_VERIFY_WITH_TIMEOUT(id > 0, 5000);
    QSignalSpy dropped(&c, &sanayicin::RedisConnection::disconnected);
    QCOMPARE(redisCommand(primary, {"CLIENT", "KILL", "ID", QByteArray::number(id)}), QByteArray("1"));
    QTRY_COMPARE_WITH_TIMEOUT(dropped.count(), 1, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(c.isConnected(), 15000);
    QCOMPARE(c.masterPort(), int(primary));
    QCOMPARE(lagging.questions(), 1);
}

// A master demoted behind the sentinels' back (REPLICAOF by hand, and a
// sentinel that never says +switch-master): the data connection and the
// subscriber find out by their periodic ROLE check and move to the master
// the sentinel names now. Two Redis servers of the test's own.
void tst_Failover::aDemotedMasterIsLeft()
{
    RedisServer first, second;
    QString error;
    QVERIFY2(first.start(error), qPrintable(error));
    QVERIFY2(second.start(error), qPrintable(error));
    LaggingSentinel sentinel;
    QVERIFY(sentinel.listen());
    sentinel.name(first.port());
    const sanayicin::RedisUrl url = throughSentinel(sentinel.port(), QStringLiteral("demoted"));
    sanayicin::RedisConnection data(url, QStringLiteral("demotion test data"));
    sanayicin::RedisConnection subscriber(url, QStringLiteral("demotion test subscriber"));
    subscriber.subscribe({"demotion-test"}, [](const QByteArray &, const QByteArray &) {});
    data.start();
    subscriber.start();
    QTRY_VERIFY_WITH_TIMEOUT(data.isConnected() && subscriber.isConnected(), 10000);
    QCOMPARE(data.masterPort(), int(first.port()));
    QCOMPARE(subscriber.masterPort(), int(first.port()));

    // The operator's switch: the sentinel names the second server, the
    // first becomes its replica. Nothing closes a connection.
    sentinel.name(second.port());
    QCOMPARE(redisCommand(first.port(), {"REPLICAOF", "127.0.0.1", QByteArray::number(second.port())}),
             QByteArray("OK"));
    QTRY_VERIFY_WITH_TIMEOUT(data.masterPort() == second.port() && data.isConnected(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(subscriber.masterPort() == second.port() && subscriber.isConnected(), 10000);
    // The subscriber is subscribed on the new master.
    QTRY_VERIFY_WITH_TIMEOUT(redisCommand(second.port(), {"CLIENT", "LIST"}).contains("cmd=subscribe"), 5000);
}

// A subscriber through Sentinel asks ROLE on a probe connection of its own.
// Destroyed with that probe open, it used to touch the freed probe when
// hiredis reported the closing (heap-use-after-free at every daemon's exit
// under ASan, seen in faults_quick).
void tst_Failover::destroyedWithItsRoleProbeOpen()
{
    RedisServer server;
    QString error;
    QVERIFY2(server.start(error), qPrintable(error));
    LaggingSentinel sentinel;
    QVERIFY(sentinel.listen());
    sentinel.name(server.port());
    const sanayicin::RedisUrl url = throughSentinel(sentinel.port(), QStringLiteral("probed"));
    auto subscriber = std::make_unique<sanayicin::RedisConnection>(url, QStringLiteral("probe test subscriber"));
    QSignalSpy dropped(subscriber.get(), &sanayicin::RedisConnection::disconnected);
    subscriber->subscribe({"probe-test"}, [](const QByteArray &, const QByteArray &) {});
    subscriber->start();
    QTRY_VERIFY_WITH_TIMEOUT(subscriber->isConnected(), 10000);
    // The subscriber and its probe (the role check runs every second), and
    // this test's own connection that asks.
    const auto clients = [&] { return redisCommand(server.port(), {"CLIENT", "LIST"}).count("\n"); };
    QTRY_VERIFY_WITH_TIMEOUT(clients() >= 3, 10000);
    subscriber.reset();
    QCOMPARE(dropped.count(), 0); // destruction is not a lost connection
    QTRY_COMPARE_WITH_TIMEOUT(clients(), 1, 5000);
}

void tst_Failover::sentinelFailoverLosesNothing()
{
    const quint16 primary = quint16(env(QStringLiteral("SANAYICIN_TEST_REDIS_PRIMARY_PORT")).toUInt());
    const quint16 replica = quint16(env(QStringLiteral("SANAYICIN_TEST_REDIS_REPLICA_PORT")).toUInt());
    // Both daemons subscribe on the master the sentinels named.
    QTRY_VERIFY_WITH_TIMEOUT(daemonSubscribers(primary) >= 2, 10000);

    Chat chat;
    QVERIFY(openChat(QStringLiteral("failover"), chat));
    WsClient &wb = chat.reader;
    auto send = [&] { QVERIFY2(sendOne(chat), "a send got no answer"); };
    for (int i = 0; i < 5; ++i)
        send();
    QTRY_COMPARE_WITH_TIMEOUT(wb.received(QStringLiteral("message")).size(), chat.acked.size(), 10000);

    // Freeze the primary: nothing is closed, the daemons must learn of the
    // switch from the sentinels or by their own deadlines.
    QElapsedTimer sinceFault;
    sinceFault.start();
    QCOMPARE(::kill(m_primaryPid, SIGSTOP), 0);
    QElapsedTimer promoted;
    while (!isMaster(replica)) {
        send(); // the sends go on meanwhile
        QTest::qWait(100);
        QVERIFY2(sinceFault.elapsed() < 30000, "the sentinels did not promote the replica");
    }
    const qint64 promotedMs = sinceFault.elapsed();
    promoted.start();
    // Both daemons follow: subscribed on the new master, bridge up.
    while (daemonSubscribers(replica) < 2) {
        send();
        QTest::qWait(100);
        QVERIFY2(promoted.elapsed() < 20000, "the daemons did not follow the new master");
    }
    for (auto &http : m_http)
        QTRY_VERIFY_WITH_TIMEOUT(http->get(QStringLiteral("/metrics")).body.contains("sanayicin_bridge_connected 1"),
                                 10000);
    const qint64 followedMs = sinceFault.elapsed();
    // The subscriber sends nothing that could time out, and the frozen
    // master closes nothing: only +switch-master can have moved it.
    for (auto &d : m_daemons)
        QVERIFY2(d->log().contains("the sentinels name another master"), d->log().right(3000).constData());

    // Cross-instance delivery through the new master.
    const qsizetype before = wb.received(QStringLiteral("message")).size();
    QElapsedTimer live;
    live.start();
    send();
    QTRY_VERIFY_WITH_TIMEOUT(wb.received(QStringLiteral("message")).size() > before, 10000);
    qInfo().noquote() << QStringLiteral("sentinel failover: replica promoted %1 ms after SIGSTOP, "
                                        "both daemons on the new master at %2 ms, a message across "
                                        "instances in %3 ms after that; %4 sends refused meanwhile")
                             .arg(promotedMs)
                             .arg(followedMs)
                             .arg(live.elapsed())
                             .arg(chat.errors);

    // The old primary wakes up and is made a replica; nothing changes for us.
    QCOMPARE(::kill(m_primaryPid, SIGCONT), 0);
    for (int i = 0; i < 5; ++i)
        send();

    checkNothingLost(chat);
    // The old primary is a replica now, and none of the daemons went back to it.
    QTRY_VERIFY_WITH_TIMEOUT(redisCommand(primary, {"INFO", "replication"}).contains("role:slave"), 10000);
    QCOMPARE(daemonSubscribers(primary), 0);
}

// Every sentinel stops and starts again: the watch on +switch-master is
// made again (on a timer while none answers), so that a failover after the
// outage is followed, also by a subscriber on a frozen master that only
// +switch-master can move. Runs after sentinelFailoverLosesNothing: the
// master is the first replica now, the old primary its replica.
void tst_Failover::theWatchIsMadeAgainAfterASentinelOutage()
{
    const quint16 oldPrimary = quint16(env(QStringLiteral("SANAYICIN_TEST_REDIS_PRIMARY_PORT")).toUInt());
    const quint16 master = quint16(env(QStringLiteral("SANAYICIN_TEST_REDIS_REPLICA_PORT")).toUInt());
    QTRY_VERIFY_WITH_TIMEOUT(isMaster(master), 10000);
    QString error;
    auto url = sanayicin::RedisUrl::parse(env(QStringLiteral("SANAYICIN_TEST_SENTINEL_URL")), error);
    QVERIFY2(url, qPrintable(error));
    sanayicin::RedisConnection subscriber(*url, QStringLiteral("watch test subscriber"));
    subscriber.subscribe({"watch-test"}, [](const QByteArray &, const QByteArray &) {});
    subscriber.start();
    QTRY_VERIFY_WITH_TIMEOUT(subscriber.isConnected() && subscriber.isWatching(), 15000);
    QCOMPARE(subscriber.masterPort(), int(master));

    QVERIFY2(script(QStringLiteral("redis-sentinel.sh"), QStringLiteral("stop-sentinels"), m_state, error),
             qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(!subscriber.isWatching(), 10000);
    QVERIFY(subscriber.isConnected()); // the master itself is fine
    QVERIFY2(script(QStringLiteral("redis-sentinel.sh"), QStringLiteral("start-sentinels"), m_state, error),
             qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(subscriber.isWatching(), 15000);
    QCOMPARE(subscriber.masterPort(), int(master));

    // A failover now, with the master frozen: nothing is closed.
    QFile pidFile(m_state + QStringLiteral("/replica.pid"));
    QVERIFY(pidFile.open(QIODevice::ReadOnly));
    const int masterPid = pidFile.readLine().trimmed().toInt();
    QVERIFY(masterPid > 0);
    // The daemons went through the same outage: both watch again too, or
    // the assertions below could not tell.
    QCOMPARE(::kill(masterPid, SIGSTOP), 0);
    QElapsedTimer sinceFault;
    sinceFault.start();
    bool promoted = false;
    while (!(promoted = isMaster(oldPrimary)) && sinceFault.elapsed() < 45000)
        QTest::qWait(100);
    const bool followed = promoted
                          && QTest::qWaitFor([&] { return subscriber.isConnected() && subscriber.masterPort() == oldPrimary; },
                                             20000);
    const bool daemonsFollowed = followed && QTest::qWaitFor([&] { return daemonSubscribers(oldPrimary) >= 2; }, 20000);
    const qint64 followedMs = sinceFault.elapsed();
    QCOMPARE(::kill(masterPid, SIGCONT), 0);
    QVERIFY2(promoted, "the sentinels did not promote the old primary");
    QVERIFY2(followed, "the subscriber did not follow the failover after the outage");
    QVERIFY2(daemonsFollowed, "the daemons did not follow the failover after the outage");
    qInfo().noquote() << QStringLiteral("after the sentinel outage: a failover followed in %1 ms").arg(followedMs);
}

void tst_Failover::postgresPrimarySwitchLosesNothing()
{
    m_pgState = m_dir.filePath(QStringLiteral("pg"));
    // The postgres user (the script's, when the tests run as root) reaches
    // its folders through this one.
    QVERIFY(QFile::setPermissions(m_dir.path(), QFile::permissions(m_dir.path()) | QFile::ExeOther
                                                    | QFile::ReadOther | QFile::ExeGroup | QFile::ReadGroup));
    QString error;
    QVERIFY2(script(QStringLiteral("pg-replica.sh"), QStringLiteral("start"), m_pgState, error), qPrintable(error));
    const auto pg = readEnv(m_pgState);
    const QString url = pg.value(QStringLiteral("SANAYICIN_TEST_PG_FAILOVER_URL"));
    QVERIFY(url.contains(u"target_session_attrs=read-write"));
    QVERIFY2(startDaemons(url, error), qPrintable(error));

    Chat chat;
    QVERIFY(openChat(QStringLiteral("switch"), chat));
    QList<qint64> &acked = chat.acked;
    int &errors = chat.errors;
    for (int i = 0; i < 5; ++i)
        QVERIFY2(sendOne(chat), "a send got no answer");
    QCOMPARE(acked.size(), 5);

    QElapsedTimer sinceFault;
    sinceFault.start();
    QVERIFY2(script(QStringLiteral("pg-replica.sh"), QStringLiteral("stop-primary"), m_pgState, error),
             qPrintable(error));
    // With no primary, a send is refused with an error, never left unanswered.
    const int errorsBefore = errors;
    const qsizetype ackedBefore = acked.size();
    QVERIFY2(sendOne(chat), "a send without a primary got no answer");
    QVERIFY2(errors > errorsBefore || acked.size() > ackedBefore, "an ack or an error");
    QVERIFY2(script(QStringLiteral("pg-replica.sh"), QStringLiteral("promote"), m_pgState, error),
             qPrintable(error));
    const qint64 promotedMs = sinceFault.elapsed();
    // Service resumes on the new primary: sends are acked again.
    const qsizetype ackedAtPromote = acked.size();
    while (acked.size() == ackedAtPromote) {
        QVERIFY2(sendOne(chat), "a send during the switch got no answer");
        QVERIFY2(sinceFault.elapsed() < 60000, "the daemons did not reach the new primary");
        QTest::qWait(100);
    }
    const qint64 resumedMs = sinceFault.elapsed();
    for (int i = 0; i < 5; ++i)
        QVERIFY2(sendOne(chat), "a send after the switch got no answer");
    qInfo().noquote() << QStringLiteral("postgresql switch: replica promoted %1 ms after the primary "
                                        "stopped, sends acked again at %2 ms (%3 ms after the "
                                        "promotion); %4 sends refused with an error meanwhile")
                             .arg(promotedMs)
                             .arg(resumedMs)
                             .arg(resumedMs - promotedMs)
                             .arg(errors);

    checkNothingLost(chat);
}

QTEST_GUILESS_MAIN(tst_Failover)
#include "tst_failover.moc"
