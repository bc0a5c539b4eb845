// sanayicin-loadgen against the real daemon for a few seconds at a small
// rate: users and conversations made over the API, every message
// acknowledged, delivered once, in order, nothing lost. Also a regression
// check of the daemon's fan-out to a user's several connections.

#include "daemon_process.h"
#include "loadgen_run.h"
#include "test_env.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace sanayicin::test;

class tst_LoadgenSmoke : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void nothingLostNothingUnacked();
    void severalConnectionsPerUser();
    void historyPassesTheChecker();
    void churnHistoryPassesTheChecker();

private:
    DaemonProcess m_daemon;
    QTemporaryDir m_dir;

    void verifyClean(const LoadgenRun &r, qint64 expectedSent);
};

namespace {

// history-check on FILE: its exit code (-1: did not finish), its output in `out`.
int checkHistory(const QString &file, QByteArray &out)
{
    QProcess p;
    p.start(QStringLiteral(HISTORY_CHECK_BINARY), {file});
    if (!p.waitForFinished(60000))
        return -1;
    out = p.readAllStandardOutput() + p.readAllStandardError();
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

} // namespace

void tst_LoadgenSmoke::initTestCase()
{
    QString error;
    QVERIFY2(m_daemon.start(freshDatabaseUrl(QStringLiteral("postgresql"), m_dir.path()),
                            DaemonProcess::defaultArgs(), error),
             qPrintable(error));
}

void tst_LoadgenSmoke::cleanupTestCase()
{
    QCOMPARE(m_daemon.terminate(), 0);
}

void tst_LoadgenSmoke::verifyClean(const LoadgenRun &r, qint64 expectedSent)
{
    QVERIFY2(r.exitCode == 0, (r.log + "\n" + m_daemon.log().right(4000)).constData());
    QCOMPARE(r.result.value(QStringLiteral("ok")).toBool(), true);
    QCOMPARE(r.count("scheduled"), expectedSent);
    QCOMPARE(r.count("sent"), expectedSent);
    QCOMPARE(r.count("acked"), expectedSent);
    QCOMPARE(r.count("refused"), 0);
    QCOMPARE(r.count("unacked"), 0);
    QCOMPARE(r.count("duplicates"), 0);
    QCOMPARE(r.count("order_violations"), 0);
    QCOMPARE(r.count("lost"), 0);
    // Every acked message reached every other open connection of both participants.
    QVERIFY(r.count("expected_deliveries") >= expectedSent);
    QCOMPARE(r.count("delivered"), r.count("expected_deliveries"));
    const QJsonObject never = r.result.value(QStringLiteral("never_delivered")).toObject();
    QCOMPARE(never.value(QStringLiteral("missing_pairs")).toInteger(), 0);
    QCOMPARE(never.value(QStringLiteral("checked_pairs")).toInteger(), r.count("expected_deliveries"));
    QCOMPARE(r.result.value(QStringLiteral("errors")).toObject().value(QStringLiteral("total")).toInteger(), 0);
}

void tst_LoadgenSmoke::nothingLostNothingUnacked()
{
    // 20 connections (10 pairs), 200 msg/s for 3 s: 10 a second per user,
    // inside the daemon's default send limit of 20.
    const LoadgenRun r = LoadgenRun::run(
        {QStringLiteral("--url"), m_daemon.wsUrl().toString(), QStringLiteral("--connections"),
         QStringLiteral("20"), QStringLiteral("--rate"), QStringLiteral("200"), QStringLiteral("--duration"),
         QStringLiteral("3"), QStringLiteral("--grace"), QStringLiteral("5"), QStringLiteral("--server-pid"),
         QString::number(m_daemon.pid())},
        90000);
    verifyClean(r, 600);
    QCOMPARE(r.result.value(QStringLiteral("users")).toInteger(), 20);
    QCOMPARE(r.result.value(QStringLiteral("conversations")).toInteger(), 10);
    QCOMPARE(r.count("expected_deliveries"), 600);
    QVERIFY(r.result.value(QStringLiteral("server")).toObject().value(QStringLiteral("rss_kib_max")).toInteger() > 0);
}

void tst_LoadgenSmoke::severalConnectionsPerUser()
{
    // 14 connections over 10 users (4 users with two) plus 4 idle ones
    // authenticating by frame: messages reach the sender's other connection
    // and both of a doubled peer's.
    const LoadgenRun r = LoadgenRun::run(
        {QStringLiteral("--url"), m_daemon.wsUrl().toString(), QStringLiteral("--connections"),
         QStringLiteral("14"), QStringLiteral("--users"), QStringLiteral("10"), QStringLiteral("--idle"),
         QStringLiteral("4"), QStringLiteral("--auth-frame"), QStringLiteral("--rate"), QStringLiteral("100"),
         QStringLiteral("--duration"), QStringLiteral("2")},
        90000);
    verifyClean(r, 200);
    QVERIFY(r.count("expected_deliveries") > 200);
    QCOMPARE(r.result.value(QStringLiteral("connections")).toObject().value(QStringLiteral("opened")).toInteger(), 18);
}

void tst_LoadgenSmoke::historyPassesTheChecker()
{
    // --history: every operation on file, and history-check finds the run
    // clean; the same file without its end line is refused.
    const QString history = m_dir.filePath(QStringLiteral("history.jsonl"));
    const LoadgenRun r = LoadgenRun::run(
        {QStringLiteral("--url"), m_daemon.wsUrl().toString(), QStringLiteral("--connections"),
         QStringLiteral("12"), QStringLiteral("--users"), QStringLiteral("6"), QStringLiteral("--rate"),
         QStringLiteral("60"), QStringLiteral("--duration"), QStringLiteral("2"), QStringLiteral("--history"),
         history},
        90000);
    verifyClean(r, 120);
    QFile f(history);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray all = f.readAll();
    f.close();
    for (const char *ev : {"\"ev\":\"run\"", "\"ev\":\"conv\"", "\"ev\":\"conn\"", "\"ev\":\"open\"",
                           "\"ev\":\"send\"", "\"ev\":\"ack\"", "\"ev\":\"msg\"", "\"ev\":\"sync\"",
                           "\"ev\":\"synced\"", "\"ev\":\"close\""})
        QVERIFY2(all.contains(ev), ev);
    QVERIFY(all.endsWith("\"ev\":\"end\"}\n"));
    QCOMPARE(all.count("\"ev\":\"send\""), 120);
    QCOMPARE(all.count("\"ev\":\"ack\""), 120);

    QByteArray out;
    QCOMPARE(checkHistory(history, out), 0);
    QVERIFY2(out.contains("verdict: PASS"), out.constData());
    QVERIFY2(out.contains("final syncs 12 of 12"), out.constData());

    const QString cut = m_dir.filePath(QStringLiteral("cut.jsonl"));
    QFile c(cut);
    QVERIFY(c.open(QIODevice::WriteOnly));
    c.write(all.left(all.lastIndexOf("{\"t\":")));
    c.close();
    QCOMPARE(checkHistory(cut, out), 1);
    QVERIFY2(out.contains("verdict: FAIL") && out.contains("no \"end\" line"), out.constData());
}

void tst_LoadgenSmoke::churnHistoryPassesTheChecker()
{
    // --churn 1: every connection leaves after 0.5-1.5 s (close 1000) and
    // comes back; over 4 s each of the 12 does so a few times. Every send is
    // still answered, and the checker finds the history clean, the returns
    // caught up by sync.
    const QString history = m_dir.filePath(QStringLiteral("churn.jsonl"));
    const LoadgenRun r = LoadgenRun::run(
        {QStringLiteral("--url"), m_daemon.wsUrl().toString(), QStringLiteral("--connections"),
         QStringLiteral("12"), QStringLiteral("--users"), QStringLiteral("6"), QStringLiteral("--rate"),
         QStringLiteral("60"), QStringLiteral("--duration"), QStringLiteral("4"), QStringLiteral("--churn"),
         QStringLiteral("1"), QStringLiteral("--history"), history},
        90000);
    QVERIFY2(r.exitCode == 0, (r.log + "\n" + m_daemon.log().right(4000)).constData());
    QCOMPARE(r.count("unacked"), 0);
    QCOMPARE(r.count("duplicates"), 0);
    QCOMPARE(r.count("order_violations"), 0);
    const qint64 churns = r.result.value(QStringLiteral("closes")).toObject().value(QStringLiteral("churns")).toInteger();
    QVERIFY2(churns >= 12, qPrintable(QString::number(churns)));
    QFile f(history);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray all = f.readAll();
    QCOMPARE(all.count("\"churn\":true"), churns);
    QByteArray out;
    QCOMPARE(checkHistory(history, out), 0);
    QVERIFY2(out.contains("verdict: PASS"), out.constData());
    QVERIFY2(out.contains(QStringLiteral("churn: %1 connections closed on purpose, %1 of them opened again").arg(churns).toUtf8()),
             out.constData());
    QVERIFY2(out.contains("final syncs 12 of 12"), out.constData());
}

QTEST_GUILESS_MAIN(tst_LoadgenSmoke)
#include "tst_loadgen_smoke.moc"
