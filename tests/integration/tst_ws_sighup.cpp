// The WebSocket side's live settings (docs/operations.md, "Reloading the
// configuration"): after SIGHUP, connections that are already open obey the
// new frame budget (--frame-rate/--frame-burst) and the new outgoing limit
// (--outgoing-limit, which also sizes a sync page), not the values they
// started with. Observed from the outside only (embedded SQLite: no services).

#include "daemon_process.h"
#include "http_client.h"
#include "ws_client.h"

#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>

using namespace sanayicin::test;

namespace {

const QByteArray kApplied = "sanayicin_config_reloads_total{result=\"applied\"}";

QString unique(const char *prefix)
{
    static int counter = 0;
    return QStringLiteral("%1_%2").arg(QLatin1StringView(prefix)).arg(++counter);
}

QJsonObject ping(int ts)
{
    return {{QStringLiteral("type"), QStringLiteral("ping")}, {QStringLiteral("ts"), ts}};
}

bool isRateLimited(const QJsonObject &o)
{
    return o.value(QStringLiteral("type")).toString() == u"error"
           && o.value(QStringLiteral("code")).toString() == u"rate_limited";
}

} // namespace

class TestWsSighup : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void frameBudgetChangesOnOpenConnections();
    void outgoingLimitChangesOnOpenConnections();
    void cleanupTestCase() { QCOMPARE(m_daemon.terminate(), 0); }

private:
    // Writes the file and sends SIGHUP; true once the reload was applied.
    bool reload(const QByteArray &ini);
    // A sync from after_id 0 on `c`: the messages it sent and whether it
    // said has_more.
    static std::pair<int, bool> syncAll(WsClient &c);

    QTemporaryDir m_dir;
    QString m_ini;
    DaemonProcess m_daemon;
    double m_applied = 0;
};

void TestWsSighup::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_ini = m_dir.filePath(QStringLiteral("sanayicind.ini"));
    QFile f(m_ini);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("[sanayicind]\nframe-rate = 0.001\nframe-burst = 1000\n");
    f.close();
    // defaultArgs() names none of the settings changed here: the file rules.
    QString error;
    QVERIFY2(m_daemon.start({}, DaemonProcess::defaultArgs() << QStringLiteral("--config") << m_ini,
                            error),
             qPrintable(error));
}

bool TestWsSighup::reload(const QByteArray &ini)
{
    QFile f(m_ini);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(ini) != ini.size())
        return false;
    f.close();
    ::kill(pid_t(m_daemon.pid()), SIGHUP);
    HttpClient http(m_daemon.httpUrl({}));
    m_applied += 1;
    return WsClient::waitUntil([&] { return http.metric(kApplied) >= m_applied; }, 10000);
}

std::pair<int, bool> TestWsSighup::syncAll(WsClient &c)
{
    const int before = c.received(QStringLiteral("message")).size();
    c.send({{QStringLiteral("type"), QStringLiteral("sync")}, {QStringLiteral("after_id"), 0},
            {QStringLiteral("limit"), 100}});
    const QJsonObject synced = c.nextOfType(QStringLiteral("synced"), 10000);
    if (synced.isEmpty())
        return {-1, false};
    return {int(c.received(QStringLiteral("message")).size()) - before,
            synced.value(QStringLiteral("has_more")).toBool()};
}

// The budget is a token bucket per connection; a lower burst applies to a
// bucket that is already full: it holds no more than the new burst.
void TestWsSighup::frameBudgetChangesOnOpenConnections()
{
    HttpClient http(m_daemon.httpUrl({}));
    const HttpClient::Account a = http.registerUser(unique("budget"));
    QVERIFY(!a.token.isEmpty());
    WsClient ws;
    QVERIFY(!ws.connectAndHello(m_daemon.wsUrl(), a.token).isEmpty());
    for (int i = 0; i < 20; ++i)
        ws.send(ping(i));
    QVERIFY(ws.roundTrip());
    QCOMPARE(ws.received(QStringLiteral("pong")).size(), 21);
    QVERIFY(ws.received(QStringLiteral("error")).isEmpty());

    QVERIFY(reload("[sanayicind]\nframe-rate = 0.001\nframe-burst = 3\n"));
    QVERIFY(m_daemon.log().contains("frame-rate/frame-burst 0.001/s burst 1000 -> 0.001/s burst 3"));
    ws.clearQueue();
    const qsizetype pongsBefore = ws.received(QStringLiteral("pong")).size();
    // Three pass (the burst), three are refused: the connection stays open
    // (a fourth refusal in a row, more than a burst, would close it).
    for (int i = 0; i < 6; ++i)
        ws.send(ping(100 + i));
    QVERIFY(WsClient::waitUntil(
        [&] { return ws.received(QStringLiteral("error")).size() == 3; }, 10000));
    for (const QJsonObject &e : ws.received(QStringLiteral("error")))
        QVERIFY2(isRateLimited(e), QJsonDocument(e).toJson().constData());
    QCOMPARE(ws.received(QStringLiteral("pong")).size() - pongsBefore, 3);
    QVERIFY(ws.isOpen());

    // A connection opened after the reload has the new budget too.
    WsClient late;
    QVERIFY(!late.connectAndHello(m_daemon.wsUrl(), a.token).isEmpty());
    for (int i = 0; i < 5; ++i)
        late.send(ping(i));
    QVERIFY(WsClient::waitUntil(
        [&] { return late.received(QStringLiteral("error")).size() == 2; }, 10000));
    QCOMPARE(late.received(QStringLiteral("pong")).size(), 3);

    QVERIFY(reload("[sanayicind]\nframe-rate = 0.001\nframe-burst = 1000\n"));
}

// A sync page stops at half the outgoing limit (with has_more): after the
// limit is lowered, the same connection's next sync is cut shorter.
void TestWsSighup::outgoingLimitChangesOnOpenConnections()
{
    HttpClient http(m_daemon.httpUrl({}));
    const HttpClient::Account a = http.registerUser(unique("out"));
    const HttpClient::Account b = http.registerUser(unique("out"), QStringLiteral("tradesman"));
    const qint64 conversation = http.conversation(a, b.id);
    QVERIFY(conversation > 0);
    WsClient sender;
    QVERIFY(!sender.connectAndHello(m_daemon.wsUrl(), a.token).isEmpty());
    // Ten frames of about 3 KB: all in one page under the default 4 MiB,
    // two under 16 KiB (a page of 8 KiB).
    const QString body(3000, QLatin1Char('x'));
    for (int i = 0; i < 10; ++i)
        QVERIFY(!sender.sendAndAck(conversation, unique("m"), body).isEmpty());

    WsClient reader;
    QVERIFY(!reader.connectAndHello(m_daemon.wsUrl(), b.token).isEmpty());
    QCOMPARE(syncAll(reader), std::make_pair(10, false));

    QVERIFY(reload("[sanayicind]\nframe-rate = 0.001\nframe-burst = 1000\n"
                   "outgoing-limit = 16384\n"));
    QVERIFY(m_daemon.log().contains("outgoing-limit 4194304 -> 16384"));
    QCOMPARE(syncAll(reader), std::make_pair(2, true));
    QVERIFY(reader.isOpen());

    QVERIFY(reload("[sanayicind]\nframe-rate = 0.001\nframe-burst = 1000\n"));
    QCOMPARE(syncAll(reader), std::make_pair(10, false));
}

QTEST_GUILESS_MAIN(TestWsSighup)
#include "tst_ws_sighup.moc"
