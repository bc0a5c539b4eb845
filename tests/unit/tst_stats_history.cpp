// StatsHistory: the last hour of one instance at 1 s, and its steps.

#include "metrics/metrics.h"
#include "metrics/server_metrics.h"
#include "metrics/stats_history.h"
#include "metrics/stats_sampler.h"

#include <QtTest>

using namespace sanayicin;

namespace {

StatsSample sample(qint64 second, qint64 in, qint64 connections = 0)
{
    StatsSample s;
    s.second = second;
    s.messagesIn = in;
    s.messagesOut = 2 * in;
    s.connections = connections;
    return s;
}

constexpr qint64 kT0 = 1'800'000'000; // a second since the epoch, a multiple of 10

} // namespace

class tst_StatsHistory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emptyHasNoPoints();
    void latestIsTheNewestSecond();
    void sameSecondAddsUp();
    void olderSampleIsDropped();
    void wrapsAroundAfterAnHour();
    void windowEdges();
    void stepsAlignAndAverage();
    void stepKeepsLastConnectionsAndLargestBacklog();
    void missingSecondsDoNotDilute();
    void percentilesFromBuckets();
    void percentileAboveLastBound();
    void errorRates();
    void samplerTakesDifferences();
};

void tst_StatsHistory::emptyHasNoPoints()
{
    StatsHistory h;
    QVERIFY(!h.latest());
    QVERIFY(h.series(kT0, 600, 1).isEmpty());
    QVERIFY(h.series(kT0, 0, 1).isEmpty());
    QVERIFY(h.series(kT0, 10, 0).isEmpty());
}

void tst_StatsHistory::latestIsTheNewestSecond()
{
    StatsHistory h;
    h.append(sample(kT0, 5));
    h.append(sample(kT0 + 1, 7, 3));
    const auto p = h.latest();
    QVERIFY(p);
    QCOMPARE(p->second, kT0 + 1);
    QCOMPARE(p->messagesIn, 7.0);
    QCOMPARE(p->messagesOut, 14.0);
    QCOMPARE(p->connections, 3);
    QVERIFY(!p->ackP50Ms); // no ack in that second
}

void tst_StatsHistory::sameSecondAddsUp()
{
    StatsHistory h;
    h.append(sample(kT0, 5, 1));
    h.append(sample(kT0, 4, 2));
    QCOMPARE(h.latest()->messagesIn, 9.0);
    QCOMPARE(h.latest()->connections, 2); // a gauge: the later one
    QCOMPARE(h.series(kT0, 10, 1).size(), 1);
}

void tst_StatsHistory::olderSampleIsDropped()
{
    StatsHistory h;
    h.append(sample(kT0 + 5, 5));
    h.append(sample(kT0 + 4, 100));
    const auto s = h.series(kT0 + 5, 10, 1);
    QCOMPARE(s.size(), 1);
    QCOMPARE(s[0].messagesIn, 5.0);
}

void tst_StatsHistory::wrapsAroundAfterAnHour()
{
    StatsHistory h;
    const qint64 n = StatsHistory::kSeconds + 100;
    for (qint64 i = 0; i < n; ++i)
        h.append(sample(kT0 + i, i));
    const qint64 last = kT0 + n - 1;
    const auto all = h.series(last, 3600, 1);
    QCOMPARE(all.size(), 3600);
    QCOMPARE(all.first().second, last - 3599);
    QCOMPARE(all.first().messagesIn, double(n - 3600));
    QCOMPARE(all.last().second, last);
    QCOMPARE(all.last().messagesIn, double(n - 1));
    // A window over seconds the ring has overwritten finds nothing there.
    QVERIFY(h.series(kT0 + 50, 10, 1).isEmpty());
    // Asked beyond an hour, it answers an hour.
    QCOMPARE(h.series(last, 100000, 1).size(), 3600);
}

void tst_StatsHistory::windowEdges()
{
    StatsHistory h;
    for (qint64 i = 0; i < 100; ++i)
        h.append(sample(kT0 + i, i));
    const auto s = h.series(kT0 + 99, 10, 1);
    QCOMPARE(s.size(), 10);
    QCOMPARE(s.first().second, kT0 + 90);
    QCOMPARE(s.last().second, kT0 + 99);
    // A window ending before the newest second stops there.
    const auto earlier = h.series(kT0 + 49, 10, 1);
    QCOMPARE(earlier.size(), 10);
    QCOMPARE(earlier.last().second, kT0 + 49);
    QCOMPARE(earlier.last().messagesIn, 49.0);
    // A window ending in the future has only what exists.
    QCOMPARE(h.series(kT0 + 104, 10, 1).size(), 5);
}

void tst_StatsHistory::stepsAlignAndAverage()
{
    StatsHistory h;
    for (qint64 i = 0; i < 30; ++i)
        h.append(sample(kT0 + i, i));
    // 20 s ending at kT0+29 with steps of 10: [kT0+10, +20), [kT0+20, +30).
    const auto s = h.series(kT0 + 29, 20, 10);
    QCOMPARE(s.size(), 2);
    QCOMPARE(s[0].second, kT0 + 10);
    QCOMPARE(s[0].messagesIn, 14.5); // (10 + ... + 19) / 10
    QCOMPARE(s[1].second, kT0 + 20);
    QCOMPARE(s[1].messagesIn, 24.5);
    // A window that starts inside a step takes only its part of it.
    const auto partial = h.series(kT0 + 29, 12, 5); // kT0+18 .. kT0+29
    QCOMPARE(partial.size(), 3);
    QCOMPARE(partial[0].second, kT0 + 15);
    QCOMPARE(partial[0].messagesIn, 18.5); // 18 and 19 only
    QCOMPARE(partial[2].second, kT0 + 25);
}

void tst_StatsHistory::stepKeepsLastConnectionsAndLargestBacklog()
{
    StatsHistory h;
    for (qint64 i = 0; i < 5; ++i) {
        StatsSample s = sample(kT0 + i, 1, 10 + i);
        s.writerBacklog = i == 2 ? 50 : 1;
        h.append(s);
    }
    const auto s = h.series(kT0 + 4, 10, 5);
    QCOMPARE(s.size(), 1);
    QCOMPARE(s[0].connections, 14);
    QCOMPARE(s[0].writerBacklog, 50);
}

void tst_StatsHistory::missingSecondsDoNotDilute()
{
    StatsHistory h;
    h.append(sample(kT0, 10));
    h.append(sample(kT0 + 4, 20)); // three seconds missing
    const auto s = h.series(kT0 + 4, 10, 5);
    QCOMPARE(s.size(), 1);
    QCOMPARE(s[0].messagesIn, 15.0);
    QCOMPARE(h.series(kT0 + 4, 10, 1).size(), 2); // no invented points
}

void tst_StatsHistory::percentilesFromBuckets()
{
    StatsHistory h;
    StatsSample s = sample(kT0, 0);
    // latencyBuckets(): 0.1, 0.25, 0.5, 1, 2.5 ms...; 100 acks in (0.5, 1] ms.
    s.ack[3] = 100;
    h.append(s);
    auto p = h.latest();
    QVERIFY(p->ackP50Ms && p->ackP95Ms && p->ackP99Ms);
    QCOMPARE(*p->ackP50Ms, 0.75);
    QVERIFY(*p->ackP95Ms > 0.9 && *p->ackP95Ms <= 1.0);
    // One slow ack in a hundred: p99 falls in the slow one's bucket only above 99.
    StatsSample t = sample(kT0 + 1, 0);
    t.ack[0] = 98;
    t.ack[12] = 2; // (0.5, 1] s
    h.append(t);
    p = h.latest();
    QVERIFY(*p->ackP50Ms <= 0.1);
    QVERIFY(*p->ackP95Ms <= 0.1);
    QVERIFY(*p->ackP99Ms > 500 && *p->ackP99Ms <= 1000);
    // Steps add the buckets of their seconds before taking percentiles.
    const auto step = h.series(kT0 + 1, 10, 10);
    QCOMPARE(step.size(), 1);
    QVERIFY(*step[0].ackP50Ms > 0.1 && *step[0].ackP50Ms <= 1.0);
}

void tst_StatsHistory::percentileAboveLastBound()
{
    std::array<quint64, StatsSample::kAckBuckets> counts{};
    counts.back() = 3;
    QCOMPARE(*StatsHistory::percentileMs(counts, 0.5), 10000.0);
    counts.fill(0);
    QVERIFY(!StatsHistory::percentileMs(counts, 0.5));
}

void tst_StatsHistory::errorRates()
{
    StatsHistory h;
    StatsSample s = sample(kT0, 0);
    s.httpRequests = 20;
    s.http4xx = 3;
    s.http5xx = 1;
    h.append(s);
    const auto p = h.latest();
    QCOMPARE(p->httpRps, 20.0);
    QCOMPARE(p->httpErrorRate, 0.2);
    QCOMPARE(p->http5xxRate, 0.05);
    h.append(sample(kT0 + 1, 0));
    QCOMPARE(h.latest()->httpErrorRate, 0.0); // no requests, no errors
}

void tst_StatsHistory::samplerTakesDifferences()
{
    MetricsRegistry registry;
    ServerMetrics m(registry);
    StatsHistory h;
    qint64 backlog = 7;
    m.messagesReceived.inc(100); // before the sampler: not counted
    StatsSampler sampler(m, h, [&backlog] { return backlog; });
    m.messagesReceived.inc(5);
    m.messagesDelivered.inc(9);
    m.receiveToAck.observe(0.0007);
    m.countHttp("/x", 200, 0.001);
    m.countHttp("/x", 404, 0.001);
    m.countHttp("/x", 503, 0.001);
    m.wsConnections.set(4);
    sampler.sample(kT0 * 1000 + 10);
    auto p = h.latest();
    QCOMPARE(p->second, kT0);
    QCOMPARE(p->messagesIn, 5.0);
    QCOMPARE(p->messagesOut, 9.0);
    QCOMPARE(p->connections, 4);
    QCOMPARE(p->writerBacklog, 7);
    QCOMPARE(p->httpRps, 3.0);
    QVERIFY(qFuzzyCompare(p->httpErrorRate, 2.0 / 3));
    QVERIFY(p->ackP50Ms && *p->ackP50Ms > 0.5 && *p->ackP50Ms <= 1.0);
    m.messagesReceived.inc(2);
    sampler.sample(kT0 * 1000 + 1010);
    p = h.latest();
    QCOMPARE(p->messagesIn, 2.0);
    QVERIFY(!p->ackP50Ms);
}

QTEST_APPLESS_MAIN(tst_StatsHistory)
#include "tst_stats_history.moc"
