// The real daemon under libfaketime, its wall clock (CLOCK_REALTIME only, as
// an NTP step changes it) stepped at run time through an offset file. The
// keep-alive must follow the monotonic clock: a step forward of an hour
// closed every quiet WebSocket with 1008 at the next tick, and a step back
// kept a dead peer for an hour (bench/faults clock-step-*, docs/reliability.md).
#include "daemon_process.h"
#include "http_client.h"
#include "raw_ws.h"
#include "test_env.h"
#include "ws_client.h"
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace sanayicin::test;

namespace {

const QString kFaketime = QStringLiteral("/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1");

// An ASan build's runtime must come first in LD_PRELOAD.
QString asanRuntimeOf(const QString &binary)
{
    QProcess ldd;
    ldd.start(QStringLiteral("ldd"), {binary});
    if (!ldd.waitForFinished(10000))
        return {};
    const auto m = QRegularExpression(QStringLiteral(R"(=>\s*(\S*libasan\S*))"))
                       .match(QString::fromUtf8(ldd.readAllStandardOutput()));
    return m.hasMatch() ? m.captured(1) : QString();
}

} // namespace

class tst_ClockStep : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanupTestCase();
    void stepForwardKeepsQuietConnections();
    void stepBackStillDropsSilentPeers();
    void stepBackEndsTheSyncGrace();

private:
    void setOffset(const QByteArray &offset);
    // Opens a WebSocket with the token in the header and waits for hello.
    bool openWithHello(RawWebSocket &ws);

    QTemporaryDir m_dir;
    QString m_offsetFile;
    DaemonProcess m_daemon;
    HttpClient::Account m_user;
    HttpClient::Account m_peer; // a tradesman in a conversation with m_user
    qint64 m_conversation = 0;
};

void tst_ClockStep::initTestCase()
{
    QVERIFY2(QFile::exists(kFaketime), "libfaketime is missing (tools/packages.txt: libfaketime)");
    QVERIFY(m_dir.isValid());
    m_offsetFile = m_dir.filePath(QStringLiteral("offset"));
    setOffset("+0");
    const QString asan = asanRuntimeOf(TestEnv::daemonPath());
    m_daemon.setEnvironmentVariable(QStringLiteral("LD_PRELOAD"),
                                    asan.isEmpty() ? kFaketime : asan + u':' + kFaketime);
    m_daemon.setEnvironmentVariable(QStringLiteral("FAKETIME_TIMESTAMP_FILE"), m_offsetFile);
    m_daemon.setEnvironmentVariable(QStringLiteral("FAKETIME_NO_CACHE"), QStringLiteral("1"));
    m_daemon.setEnvironmentVariable(QStringLiteral("FAKETIME_DONT_FAKE_MONOTONIC"), QStringLiteral("1"));
    QString error;
    // A sync grace of 3 s: long enough that a step right after hello falls
    // inside it on a loaded machine.
    QVERIFY2(m_daemon.start(QString(),
                            DaemonProcess::defaultArgs()
                                << QStringLiteral("--heartbeat") << QStringLiteral("1")
                                << QStringLiteral("--sync-grace-ms") << QStringLiteral("3000"),
                            error),
             qPrintable(error));
    HttpClient http(m_daemon.httpUrl(QString()));
    m_user = http.registerUser(QStringLiteral("clock_user"));
    QVERIFY(!m_user.token.isEmpty());
    m_peer = http.registerUser(QStringLiteral("clock_peer"), QStringLiteral("tradesman"));
    QVERIFY(!m_peer.token.isEmpty());
    m_conversation = http.conversation(m_user, m_peer.id);
    QVERIFY(m_conversation > 0);
}

void tst_ClockStep::init()
{
    setOffset("+0");
}

void tst_ClockStep::cleanupTestCase()
{
    // The exit code is not the daemon's to answer for here: libfaketime
    // 0.9.10 (Debian 12) ends a pthread_cond_timedwait on CLOCK_MONOTONIC at
    // once while it fakes the real-time clock (fixed upstream later,
    // wolfcw/libfaketime#503), so QThread::wait(timeout) at shutdown gives up
    // and the daemon aborts, with offset +0 and no step too. A real step does
    // not touch monotonic waits.
    m_daemon.terminate(20000);
}

void tst_ClockStep::setOffset(const QByteArray &offset)
{
    QFile f(m_offsetFile);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(offset + '\n');
}

bool tst_ClockStep::openWithHello(RawWebSocket &ws)
{
    if (!ws.open(m_daemon.port(), m_user.token))
        return false;
    bool hello = false;
    WsClient::waitUntil([&] {
        ws.socket().waitForReadyRead(50);
        for (const auto &f : ws.frames())
            hello = hello || (f.opcode == 1 && f.payload.contains("\"hello\""));
        return hello;
    }, 10000);
    return hello;
}

void tst_ClockStep::stepForwardKeepsQuietConnections()
{
    RawWebSocket ws;
    QVERIFY(openWithHello(ws));
    setOffset("+3600");
    // A quiet client that answers pings: the daemon pings it after each
    // heartbeat (1 s) of silence. Three pings answered after the step mean
    // ticks ran with the step in effect and kept the connection.
    int pings = 0;
    int closeCode = 0;
    WsClient::waitUntil([&] {
        ws.socket().waitForReadyRead(50);
        for (const auto &f : ws.frames()) {
            if (f.opcode == 9) {
                ++pings;
                ws.sendFrame(10, f.payload);
            } else if (f.opcode == 8) {
                closeCode = f.closeCode();
            }
        }
        return pings >= 3 || closeCode != 0 || ws.socket().state() != QAbstractSocket::ConnectedState;
    }, 20000);
    QVERIFY2(closeCode == 0, qPrintable(QStringLiteral("closed with %1 after the step").arg(closeCode)));
    QCOMPARE(pings, 3);
}

void tst_ClockStep::stepBackStillDropsSilentPeers()
{
    RawWebSocket ws;
    QVERIFY(openWithHello(ws));
    setOffset("-3600");
    // From now on the peer is silent (no pongs): three heartbeats later the
    // daemon must close it, as without the step.
    QElapsedTimer t;
    t.start();
    QCOMPARE(ws.waitForClose(20000), 1008);
    QVERIFY2(t.elapsed() < 15000, qPrintable(QString::number(t.elapsed())));
}

void tst_ClockStep::stepBackEndsTheSyncGrace()
{
    WsClient peer;
    QVERIFY(!peer.connectAndHello(m_daemon.wsUrl(), m_peer.token).isEmpty());
    // Live messages to a new connection are held during the sync grace
    // after hello; the clock steps back an hour inside it.
    RawWebSocket ws;
    QVERIFY(openWithHello(ws));
    setOffset("-3600");
    QVERIFY(!peer.sendAndAck(m_conversation, QStringLiteral("grace-1"), QStringLiteral("held?")).isEmpty());
    // The grace (3 s) ends and the message comes; before the fix it was held
    // until the wall clock came back to the grace's end, an hour later.
    bool got = false;
    WsClient::waitUntil([&] {
        ws.socket().waitForReadyRead(50);
        for (const auto &f : ws.frames()) {
            if (f.opcode == 9)
                ws.sendFrame(10, f.payload);
            got = got || (f.opcode == 1 && f.payload.contains("grace-1"));
        }
        return got;
    }, 15000);
    QVERIFY2(got, "the live message stayed held after the sync grace");
}

QTEST_MAIN(tst_ClockStep)
#include "tst_clock_step.moc"
