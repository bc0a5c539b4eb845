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
#include "redis_cli.h"
#include "test_env.h"
#include "ws_client.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QProcess>
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
    void sentinelFailoverLosesNothing();
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
