#include "threading/thread_exit.h"

#include <QElapsedTimer>
#include <QSemaphore>
#include <QTest>
#include <QThread>
#include <atomic>
#include <memory>

using namespace sanayicin;

namespace {

QSemaphore g_gate;
std::atomic<bool> g_destroyed{false};

// A thread-local whose destructor runs when its thread exits, after Qt has
// let QThread::wait() return; it holds the thread there until released.
struct HeldAtExit
{
    bool touched = false;
    ~HeldAtExit()
    {
        g_gate.tryAcquire(1, 10000);
        g_destroyed = true;
    }
};
thread_local HeldAtExit t_held;

} // namespace

class tst_ThreadExit : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void threadOutlivesWaitUntilItsThreadLocalsAreGone();
    void namesTheThreadsStillThere();
};

void tst_ThreadExit::threadOutlivesWaitUntilItsThreadLocalsAreGone()
{
    g_destroyed = false;
    const QList<qint64> before = otherThreads(); // Qt Test's watchdog
    std::unique_ptr<QThread> thread(QThread::create([] { t_held.touched = true; }));
    thread->setObjectName(QStringLiteral("held-at-exit"));
    thread->start();
    QVERIFY(thread->wait(20000));
    // What the daemon's shutdown meets: wait() is over, the thread is not.
    QVERIFY2(!g_destroyed, "QThread::wait() now waits for thread-local destructors");
    QList<qint64> ours = otherThreads();
    for (qint64 tid : before)
        ours.removeAll(tid);
    QCOMPARE(ours.size(), 1);
    QCOMPARE(waitForThreadsToExit(ours, 100), QStringList{QStringLiteral("held-at-exit")});
    g_gate.release();
    QCOMPARE(waitForThreadsToExit(ours, 10000), QStringList());
    QVERIFY(g_destroyed);
}

void tst_ThreadExit::namesTheThreadsStillThere()
{
    QSemaphore stuck;
    const QList<qint64> before = otherThreads();
    std::unique_ptr<QThread> thread(QThread::create([&stuck] { stuck.tryAcquire(1, 20000); }));
    thread->setObjectName(QStringLiteral("stuck-here"));
    thread->start();
    QList<qint64> ours;
    QTRY_VERIFY((ours = otherThreads()).size() == before.size() + 1);
    for (qint64 tid : before)
        ours.removeAll(tid);
    QElapsedTimer waited;
    waited.start();
    QCOMPARE(waitForThreadsToExit(ours, 200), QStringList{QStringLiteral("stuck-here")});
    QVERIFY(waited.elapsed() >= 200);
    stuck.release();
    QVERIFY(thread->wait(20000));
    QCOMPARE(waitForThreadsToExit(ours, 10000), QStringList());
}

QTEST_GUILESS_MAIN(tst_ThreadExit)
#include "tst_thread_exit.moc"
