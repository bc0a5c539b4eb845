// The open-loop scheduler: due times from the index (no drift), the count of
// messages in a window, and a late consumer catching up on a backlog whose
// due times stay where they were.

#include "scheduler.h"

#include <QtTest>

using sanayicin::loadgen::OpenLoopSchedule;

class tst_LoadgenScheduler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void dueTimesFollowTheRate();
    void plannedCounts();
    void noDriftOverLongRuns();
    void lateConsumerSeesOriginalDueTimes();
    void zeroRateSendsNothing();
};

void tst_LoadgenScheduler::dueTimesFollowTheRate()
{
    OpenLoopSchedule s;
    s.start(5000, 1000, 5000 + 1000000000); // 1000/s for one second
    QCOMPARE(s.planned(), 1000u);
    int64_t due = -1;
    QVERIFY(!s.popDue(4999, due)); // nothing before the start
    QVERIFY(s.popDue(5000, due));
    QCOMPARE(due, 5000);
    QVERIFY(!s.popDue(5000 + 999999, due)); // the next is 1 ms later
    QCOMPARE(s.nextDueNs(), 5000 + 1000000);
    QVERIFY(s.popDue(5000 + 1000000, due));
    QCOMPARE(due, 5000 + 1000000);
    // Take the rest: strictly increasing, all inside the window.
    int64_t last = due;
    uint64_t n = 2;
    while (s.popDue(INT64_MAX - 1, due)) {
        QVERIFY(due > last);
        QVERIFY(due < 5000 + 1000000000);
        last = due;
        ++n;
    }
    QCOMPARE(n, 1000u);
    QCOMPARE(s.taken(), 1000u);
    QCOMPARE(s.nextDueNs(), INT64_MAX);
}

void tst_LoadgenScheduler::plannedCounts()
{
    const int64_t sec = 1000000000;
    QCOMPARE(OpenLoopSchedule::plannedCount(0, 200, 3 * sec), 600u);
    QCOMPARE(OpenLoopSchedule::plannedCount(0, 7, sec), 7u);
    QCOMPARE(OpenLoopSchedule::plannedCount(0, 2.5, sec), 3u); // 0, 0.4 s, 0.8 s
    QCOMPARE(OpenLoopSchedule::plannedCount(0, 1, sec), 1u);
    QCOMPARE(OpenLoopSchedule::plannedCount(0, 0.5, sec), 1u); // just the one at 0
    QCOMPARE(OpenLoopSchedule::plannedCount(0, 100, 0), 0u);
}

void tst_LoadgenScheduler::noDriftOverLongRuns()
{
    // 3 a second is 333,333,333.33 ns apart: accumulating the interval would
    // drift; computing from the index does not.
    OpenLoopSchedule s;
    const int64_t sec = 1000000000;
    s.start(0, 3, 1000 * sec);
    QCOMPARE(s.planned(), 3000u);
    int64_t due = 0;
    for (int i = 0; i < 2999; ++i)
        QVERIFY(s.popDue(INT64_MAX - 1, due));
    QCOMPARE(due, 2998LL * sec / 3);
    QVERIFY(s.popDue(INT64_MAX - 1, due));
    QCOMPARE(due, 999 * sec + 666666666);
}

void tst_LoadgenScheduler::lateConsumerSeesOriginalDueTimes()
{
    // A generator stalled for 10 ms at 1000/s finds 11 messages due, each
    // with its own due time: latency is then measured from those, not from
    // when it woke (no coordinated omission).
    OpenLoopSchedule s;
    s.start(0, 1000, 1000000000);
    const int64_t woke = 10000000;
    int64_t due = 0;
    int n = 0;
    while (s.popDue(woke, due)) {
        QCOMPARE(due, int64_t(n) * 1000000);
        ++n;
    }
    QCOMPARE(n, 11);
}

void tst_LoadgenScheduler::zeroRateSendsNothing()
{
    OpenLoopSchedule s;
    s.start(0, 0, 1000000000);
    int64_t due = 0;
    QCOMPARE(s.planned(), 0u);
    QVERIFY(!s.popDue(INT64_MAX - 1, due));
    QCOMPARE(s.nextDueNs(), INT64_MAX);
    s.start(0, 100, 1000000000);
    s.stop();
    QVERIFY(!s.popDue(INT64_MAX - 1, due));
}

QTEST_APPLESS_MAIN(tst_LoadgenScheduler)
#include "tst_loadgen_scheduler.moc"
