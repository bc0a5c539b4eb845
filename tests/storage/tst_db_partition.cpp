// Db across a network partition: PostgreSQL's packets dropped (nftables in a
// network namespace of this test's own), not a connection closed. A
// statement must fail as a connection error within seconds (the daemon's
// TCP timeouts), not wait until the kernel gives up (about 15 minutes), and
// Db must connect again once the partition heals.
//
// The Db runs on a thread moved into the namespace; it reaches the suite's
// PostgreSQL through a forwarding proxy whose listening socket is in the
// namespace (on its loopback) and whose upstream sockets are in the root
// namespace. The partition drops the proxy port's packets inside the
// namespace only. Needs root, ip and nft (skipped without them).

#include "storage_test.h"

#include "commit_cutting_proxy.h"

#include <QProcess>
#include <QStandardPaths>
#include <atomic>
#include <fcntl.h>
#include <sched.h>
#include <thread>
#include <unistd.h>

using namespace sanayicin;
using namespace sanayicin::test;
using namespace Qt::StringLiterals;

namespace {

// A command's exit code (-1 if it could not run), its output into `out`.
int run(const QString &program, const QStringList &args, QByteArray *out = nullptr,
        const QByteArray &input = {})
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    if (!p.waitForStarted(10000))
        return -1;
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(30000)) {
        p.kill();
        p.waitForFinished();
        return -1;
    }
    if (out)
        *out = p.readAll();
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

// What the Db thread saw, read by the test thread.
struct Worker
{
    std::atomic<bool> connected{false}, answered{false}, done{false};
    std::atomic<bool> partitioned{false}, healed{false};
    std::atomic<bool> failedAsConnection{false}, recovered{false};
    std::atomic<qint64> answerMs{-1};
    QString error; // written before `done`
};

} // namespace

class tst_DbPartition : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void statementFailsAndRecoversAcrossPartition();

private:
    bool nft(const QByteArray &rules);

    QTemporaryDir m_dir;
    QString m_ns;
    int m_rootNs = -1;
    int m_testNs = -1;
};

void tst_DbPartition::initTestCase()
{
    if (geteuid() != 0 || QStandardPaths::findExecutable(u"ip"_s).isEmpty()
        || QStandardPaths::findExecutable(u"nft"_s).isEmpty())
        QSKIP("needs root, ip and nft (a network namespace of its own)");
    QVERIFY(m_dir.isValid());
    m_ns = u"sny-dbpart-%1"_s.arg(QCoreApplication::applicationPid());
    QByteArray out;
    QVERIFY2(run(u"ip"_s, {u"netns"_s, u"add"_s, m_ns}, &out) == 0, out.constData());
    QVERIFY2(run(u"ip"_s, {u"-n"_s, m_ns, u"link"_s, u"set"_s, u"lo"_s, u"up"_s}, &out) == 0,
             out.constData());
    m_rootNs = ::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    m_testNs = ::open(qPrintable(u"/run/netns/"_s + m_ns), O_RDONLY | O_CLOEXEC);
    QVERIFY(m_rootNs >= 0 && m_testNs >= 0);
}

void tst_DbPartition::cleanupTestCase()
{
    if (m_testNs >= 0)
        ::close(m_testNs);
    if (m_rootNs >= 0)
        ::close(m_rootNs);
    if (!m_ns.isEmpty())
        run(u"ip"_s, {u"netns"_s, u"del"_s, m_ns});
}

bool tst_DbPartition::nft(const QByteArray &rules)
{
    QByteArray out;
    const int rc = run(u"ip"_s, {u"netns"_s, u"exec"_s, m_ns, u"nft"_s, u"-f"_s, u"-"_s}, &out, rules);
    if (rc != 0)
        qWarning("nft failed (%d): %s", rc, out.constData());
    return rc == 0;
}

void tst_DbPartition::statementFailsAndRecoversAcrossPartition()
{
    const QUrl direct(freshDatabaseUrl(u"postgresql"_s, m_dir.path()));
    // The proxy listens inside the namespace; it reaches PostgreSQL from
    // the root namespace (its upstream sockets are made later, here).
    CommitCuttingProxy proxy;
    QVERIFY(::setns(m_testNs, CLONE_NEWNET) == 0);
    const bool listening = proxy.start(quint16(direct.port()));
    QVERIFY(::setns(m_rootNs, CLONE_NEWNET) == 0);
    QVERIFY(listening);
    QUrl through(direct);
    through.setPort(proxy.port());
    QString error;
    const auto url = DatabaseUrl::parse(through.toString(), m_dir.path(), error);
    QVERIFY2(url, qPrintable(error));

    Worker w;
    const int testNs = m_testNs;
    std::thread db([&w, &url, testNs] {
        auto finish = [&w](const QString &why) {
            w.error = why;
            w.done = true;
        };
        if (::setns(testNs, CLONE_NEWNET) != 0)
            return finish(u"setns failed"_s);
        QString err;
        std::unique_ptr<Db> conn = Db::connect(*url, u"partition"_s, err);
        if (!conn)
            return finish(err);
        try {
            scalar(*conn, "SELECT 1");
        } catch (const DbError &e) {
            return finish(QString::fromUtf8(e.what()));
        }
        w.connected = true;
        w.partitioned.wait(false);
        QElapsedTimer t;
        t.start();
        try {
            scalar(*conn, "SELECT 1");
        } catch (const DbError &e) {
            w.failedAsConnection = e.kind() == DbError::Kind::Connection;
        }
        w.answerMs = t.elapsed();
        w.answered = true;
        w.healed.wait(false);
        // Reconnects are tried at most every 200 ms; a few may meet the
        // last dropped packets. Bounded: 30 s.
        t.restart();
        while (!w.recovered && t.elapsed() < 30000) {
            try {
                w.recovered = scalar(*conn, "SELECT 1") == 1;
            } catch (const DbError &) {
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        }
        conn.reset();
        finish({});
    });

    // The proxy runs on this thread: its event loop turns in every wait.
    const bool connected = QTest::qWaitFor([&] { return w.connected || w.done; }, 30000);
    bool cut = false;
    if (connected && w.connected) {
        const QByteArray port = QByteArray::number(proxy.port());
        cut = nft("table inet sny_partition { chain out { type filter hook output priority 0; "
                  "tcp dport " + port + " drop; tcp sport " + port + " drop; }; }");
        w.partitioned = true;
        w.partitioned.notify_all();
        // Before TCP timeouts the statement waited out the whole partition:
        // 30 s here, then it went through once healed.
        (void)QTest::qWaitFor([&] { return w.answered.load(); }, 30000);
    }
    const bool answeredInPartition = w.answered;
    if (cut)
        nft("delete table inet sny_partition");
    w.partitioned = true;
    w.partitioned.notify_all();
    w.healed = true;
    w.healed.notify_all();
    (void)QTest::qWaitFor([&] { return w.done.load(); }, 120000);
    db.join();

    QVERIFY2(connected && w.connected, qPrintable(w.error));
    QVERIFY(cut);
    QVERIFY2(answeredInPartition, "the statement was still waiting after 30 s of partition");
    QVERIFY2(w.failedAsConnection, "the statement did not fail with a connection error");
    qInfo("the statement failed %lld ms into the partition", qint64(w.answerMs));
    QVERIFY(w.answerMs < 15000);
    QVERIFY2(w.recovered, "no statement went through within 30 s after the partition healed");
}

QTEST_GUILESS_MAIN(tst_DbPartition)
#include "tst_db_partition.moc"
