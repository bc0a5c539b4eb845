// sanayicin-loadgen against sanayicin-echo-server (no database, no
// services): the whole pipeline in seconds, including a user with several
// connections, idle connections, and a small connection storm.

#include "loadgen_run.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QtTest>

class tst_LoadgenEcho : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void everyMessageAckedAndDelivered();
    void severalConnectionsPerUserAndIdle();
    void stepModeStops();
    void storm();
    void badUrlFailsCleanly();

private:
    QString url() const { return QStringLiteral("ws://127.0.0.1:%1/ws").arg(m_port); }
    QProcess m_echo;
    int m_port = 0;
};

void tst_LoadgenEcho::initTestCase()
{
    m_echo.start(QStringLiteral(ECHO_BINARY),
                 {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--threads"),
                  QStringLiteral("2"), QStringLiteral("--max-seconds"), QStringLiteral("120")});
    QVERIFY(m_echo.waitForStarted(5000));
    static const QRegularExpression re(QStringLiteral("listening on ws://127.0.0.1:(\\d+)/ws"));
    QByteArray out;
    for (int i = 0; i < 100 && !m_port; ++i) {
        m_echo.waitForReadyRead(100);
        out += m_echo.readAllStandardOutput();
        const auto m = re.match(QString::fromUtf8(out));
        if (m.hasMatch())
            m_port = m.captured(1).toInt();
    }
    QVERIFY2(m_port > 0, out.constData());
}

void tst_LoadgenEcho::cleanupTestCase()
{
    m_echo.terminate();
    QVERIFY(m_echo.waitForFinished(10000));
    QCOMPARE(m_echo.exitCode(), 0);
}

void tst_LoadgenEcho::everyMessageAckedAndDelivered()
{
    const LoadgenRun r = LoadgenRun::run(
        {QStringLiteral("--url"), url(), QStringLiteral("--no-setup"), QStringLiteral("--connections"),
         QStringLiteral("20"), QStringLiteral("--rate"), QStringLiteral("400"), QStringLiteral("--duration"),
         QStringLiteral("2"), QStringLiteral("--server-pid"), QString::number(m_echo.processId())});
    QVERIFY2(r.exitCode == 0, r.log.constData());
    QCOMPARE(r.count("scheduled"), 800);
    QCOMPARE(r.count("sent"), 800);
    QCOMPARE(r.count("acked"), 800);
    QCOMPARE(r.count("delivered"), 800); // one other connection per message: the peer's
    QCOMPARE(r.count("expected_deliveries"), 800);
    QCOMPARE(r.count("unacked"), 0);
    QCOMPARE(r.count("lost"), 0);
    QCOMPARE(r.count("duplicates"), 0);
    QCOMPARE(r.count("order_violations"), 0);
    const QJsonObject latency = r.result.value(QStringLiteral("latency_us")).toObject();
    QCOMPARE(latency.value(QStringLiteral("ack")).toObject().value(QStringLiteral("count")).toInteger(), 800);
    QVERIFY(latency.value(QStringLiteral("delivery")).toObject().value(QStringLiteral("p99")).toInteger() > 0);
    QVERIFY(r.result.value(QStringLiteral("server")).isObject()); // /proc was sampled
    QVERIFY(r.result.value(QStringLiteral("server")).toObject().value(QStringLiteral("rss_kib_max")).toInteger() > 0);
}

void tst_LoadgenEcho::severalConnectionsPerUserAndIdle()
{
    // 30 connections over 20 users: 10 users have two, of which one sends.
    // Every message goes to the sender's other connection (if any) and to
    // both of the peer's.
    const LoadgenRun r = LoadgenRun::run(
        {QStringLiteral("--url"), url(), QStringLiteral("--no-setup"), QStringLiteral("--connections"),
         QStringLiteral("30"), QStringLiteral("--users"), QStringLiteral("20"), QStringLiteral("--idle"),
         QStringLiteral("15"), QStringLiteral("--idle-users"), QStringLiteral("5"), QStringLiteral("--heartbeat"),
         QStringLiteral("1"), QStringLiteral("--rate"), QStringLiteral("200"), QStringLiteral("--duration"),
         QStringLiteral("2"), QStringLiteral("--threads"), QStringLiteral("3")});
    QVERIFY2(r.exitCode == 0, r.log.constData());
    const QJsonObject conns = r.result.value(QStringLiteral("connections")).toObject();
    QCOMPARE(conns.value(QStringLiteral("opened")).toInteger(), 45);
    QCOMPARE(conns.value(QStringLiteral("senders")).toInteger(), 20);
    QCOMPARE(r.count("sent"), 400);
    QCOMPARE(r.count("acked"), 400);
    // Users 0..9 have two connections: each message reaches 3 others when
    // both participants are doubled (pairs 0-4), 1 otherwise (pairs 5-9).
    QCOMPARE(r.count("delivered"), r.count("expected_deliveries"));
    QCOMPARE(r.count("expected_deliveries"), 200 * 3 + 200 * 1);
    QCOMPARE(r.count("lost"), 0);
    const QJsonObject keepalive = r.result.value(QStringLiteral("keepalive")).toObject();
    QVERIFY(keepalive.value(QStringLiteral("pings")).toInteger() >= 45); // each at least once a second
    QCOMPARE(keepalive.value(QStringLiteral("pongs")).toInteger(),
             keepalive.value(QStringLiteral("pings")).toInteger());
}

void tst_LoadgenEcho::stepModeStops()
{
    // A threshold nothing can meet: the first step fails on p99, and the
    // steps report says why.
    const LoadgenRun r = LoadgenRun::run(
        {QStringLiteral("--url"), url(), QStringLiteral("--no-setup"), QStringLiteral("--connections"),
         QStringLiteral("10"), QStringLiteral("--step"), QStringLiteral("100,x2,0.000001,400"),
         QStringLiteral("--duration"), QStringLiteral("1")});
    QVERIFY2(r.exitCode == 0, r.log.constData());
    const QJsonArray steps = r.result.value(QStringLiteral("steps")).toArray();
    QCOMPARE(steps.size(), 1);
    QVERIFY(!steps[0].toObject().value(QStringLiteral("passed")).toBool());
    QVERIFY(steps[0].toObject().value(QStringLiteral("verdict")).toString().startsWith(QStringLiteral("p99")));
    // A generous threshold: 100, 200, 400 all pass, then the maximum stops it.
    const LoadgenRun ok = LoadgenRun::run(
        {QStringLiteral("--url"), url(), QStringLiteral("--no-setup"), QStringLiteral("--connections"),
         QStringLiteral("10"), QStringLiteral("--step"), QStringLiteral("100,x2,10000,400"),
         QStringLiteral("--duration"), QStringLiteral("1")});
    QVERIFY2(ok.exitCode == 0, ok.log.constData());
    QCOMPARE(ok.result.value(QStringLiteral("steps")).toArray().size(), 3);
    QCOMPARE(ok.result.value(QStringLiteral("max_passing_rate")).toDouble(), 400.0);
    QCOMPARE(ok.count("lost"), 0);
}

void tst_LoadgenEcho::storm()
{
    const LoadgenRun r = LoadgenRun::run({QStringLiteral("--url"), url(), QStringLiteral("--no-setup"),
                                          QStringLiteral("--storm"), QStringLiteral("300")});
    QVERIFY2(r.exitCode == 0, r.log.constData());
    QCOMPARE(r.result.value(QStringLiteral("mode")).toString(), QStringLiteral("storm"));
    const QJsonObject conns = r.result.value(QStringLiteral("connections")).toObject();
    QCOMPARE(conns.value(QStringLiteral("opened")).toInteger(), 300);
    QCOMPARE(conns.value(QStringLiteral("failed")).toInteger(), 0);
    QVERIFY(conns.value(QStringLiteral("per_second")).toDouble() > 0);
    QCOMPARE(conns.value(QStringLiteral("auth_latency_us")).toObject().value(QStringLiteral("count")).toInteger(), 300);
}

void tst_LoadgenEcho::badUrlFailsCleanly()
{
    // Nothing listens on port 1: every connection fails, the run says so.
    const LoadgenRun r = LoadgenRun::run({QStringLiteral("--url"), QStringLiteral("ws://127.0.0.1:1/ws"),
                                          QStringLiteral("--no-setup"), QStringLiteral("--connections"),
                                          QStringLiteral("4")});
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(r.result.value(QStringLiteral("ok")).toBool(), false);
    QVERIFY(r.result.value(QStringLiteral("error")).toString().contains(QStringLiteral("refused")));
}

QTEST_GUILESS_MAIN(tst_LoadgenEcho)
#include "tst_loadgen_echo.moc"
