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
    void threadsNotMarkedAreNotWaitedFor();
};

void tst_ThreadExit::threadOutlivesWaitUntilItsThreadLocalsAreGone()
{
    g_destroyed = false;
    std::unique_ptr<QThread> thread(QThread::create([] {
        waitForThisThreadAtExit();
        t_held.touched = true;
    }));
    thread->setObjectName(QStringLiteral("held-at-exit"));
    thread->start();
    QVERIFY(thread->wait(20000));
    // What the daemon's shutdown meets: wait() is over, the thread is not.
    QVERIFY2(!g_destroyed, "QThread::wait() now waits for thread-local destructors");
    QCOMPARE(waitForMarkedThreadsToExit(100), QStringList{QStringLiteral("held-at-exit")});
    g_gate.release();
    QCOMPARE(waitForMarkedThreadsToExit(10000), QStringList());
    QVERIFY(g_destroyed);
}

void tst_ThreadExit::namesTheThreadsStillThere()
{
    QSemaphore stuck, marked;
    std::unique_ptr<QThread> thread(QThread::create([&] {
        waitForThisThreadAtExit();
        waitForThisThreadAtExit(); // a repeat is harmless
        marked.release();
        stuck.tryAcquire(1, 20000);
    }));
    thread->setObjectName(QStringLiteral("stuck-here"));
    thread->start();
    QVERIFY(marked.tryAcquire(1, 20000));
    QElapsedTimer waited;
    waited.start();
    QCOMPARE(waitForMarkedThreadsToExit(200), QStringList{QStringLiteral("stuck-here")});
    QVERIFY(waited.elapsed() >= 200);
    stuck.release();
    QVERIFY(thread->wait(20000));
    QCOMPARE(waitForMarkedThreadsToExit(10000), QStringList());
}

// Qt's own threads (the host-name look-up pool idles 30 s) and Qt Test's
// watchdog do not hold up the exit.
void tst_ThreadExit::threadsNotMarkedAreNotWaitedFor()
{
    QSemaphore stuck, running;
    std::unique_ptr<QThread> thread(QThread::create([&] {
        running.release();
        stuck.tryAcquire(1, 20000);
    }));
    thread->start();
    QVERIFY(running.tryAcquire(1, 20000));
    QElapsedTimer waited;
    waited.start();
    QCOMPARE(waitForMarkedThreadsToExit(10000), QStringList());
    QVERIFY(waited.elapsed() < 5000);
    stuck.release();
    QVERIFY(thread->wait(20000));
}

QTEST_GUILESS_MAIN(tst_ThreadExit)
#include "tst_thread_exit.moc"
