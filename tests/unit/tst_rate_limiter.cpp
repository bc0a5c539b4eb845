// RateLimiter: token buckets on a simulated clock (the nowNs argument).

#include "limits/rate_limiter.h"

#include <QtTest>

using namespace sanayicin;

namespace {
constexpr qint64 kMs = 1'000'000;
constexpr qint64 kS = 1'000'000'000;
constexpr qint64 kT0 = 1'000'000 * kS; // an arbitrary steady-clock reading
} // namespace

class tst_RateLimiter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void burstThenRefusal_data();
    void burstThenRefusal();
    void refillOverTime();
    void refillIsCappedAtBurst();
    void retryAfterShrinksAsTimePasses();
    void keysAreIndependent();
    void refusalsDoNotCost();
    void fullBucketsAreForgotten();
};

void tst_RateLimiter::burstThenRefusal_data()
{
    QTest::addColumn<double>("rate");
    QTest::addColumn<double>("burst");
    QTest::newRow("send: 20/s, burst 40") << 20.0 << 40.0;
    QTest::newRow("typing: 2/s, burst 2") << 2.0 << 2.0;
    QTest::newRow("login: 10/min, burst 10") << 10.0 / 60.0 << 10.0;
    QTest::newRow("1/s, burst 1") << 1.0 << 1.0;
}

void tst_RateLimiter::burstThenRefusal()
{
    QFETCH(double, rate);
    QFETCH(double, burst);
    RateLimiter limiter;
    const RateRule rule{rate, burst};
    for (int i = 0; i < int(burst); ++i) {
        const RateDecision d = limiter.take("send:1", rule, kT0);
        QVERIFY2(d.allowed, qPrintable(QString::number(i)));
        QCOMPARE(d.retryAfterMs, 0);
    }
    const RateDecision refused = limiter.take("send:1", rule, kT0);
    QVERIFY(!refused.allowed);
    const double expected = 1000.0 / rate;
    QVERIFY2(refused.retryAfterMs >= qint64(expected) && refused.retryAfterMs <= qint64(expected) + 1,
             qPrintable(QString::number(refused.retryAfterMs)));
}

void tst_RateLimiter::refillOverTime()
{
    RateLimiter limiter;
    const RateRule rule{20, 40};
    for (int i = 0; i < 40; ++i)
        QVERIFY(limiter.take("k", rule, kT0).allowed);
    const RateDecision refused = limiter.take("k", rule, kT0);
    QVERIFY(!refused.allowed);
    // Just before the advertised time: still refused.
    QVERIFY(!limiter.take("k", rule, kT0 + (refused.retryAfterMs - 2) * kMs).allowed);
    // At the advertised time one token is back (1 ms of slack for floating
    // point), and only one.
    const qint64 t1 = kT0 + (refused.retryAfterMs + 1) * kMs;
    QVERIFY(limiter.take("k", rule, t1).allowed);
    QVERIFY(!limiter.take("k", rule, t1).allowed);
    // Half a second later: 10 more.
    const qint64 t2 = t1 + 500 * kMs;
    int allowed = 0;
    while (limiter.take("k", rule, t2).allowed)
        ++allowed;
    QVERIFY2(allowed == 10 || allowed == 9, qPrintable(QString::number(allowed)));
}

void tst_RateLimiter::refillIsCappedAtBurst()
{
    RateLimiter limiter;
    const RateRule rule{20, 40};
    QVERIFY(limiter.take("k", rule, kT0).allowed);
    // An hour of quiet saves up no more than the burst.
    const qint64 later = kT0 + 3600 * kS;
    for (int i = 0; i < 40; ++i)
        QVERIFY(limiter.take("k", rule, later).allowed);
    QVERIFY(!limiter.take("k", rule, later).allowed);
}

void tst_RateLimiter::retryAfterShrinksAsTimePasses()
{
    RateLimiter limiter;
    const RateRule rule{1, 1};
    QVERIFY(limiter.take("k", rule, kT0).allowed);
    const RateDecision a = limiter.take("k", rule, kT0);
    const RateDecision b = limiter.take("k", rule, kT0 + 400 * kMs);
    const RateDecision c = limiter.take("k", rule, kT0 + 900 * kMs);
    QVERIFY(!a.allowed && !b.allowed && !c.allowed);
    QCOMPARE(a.retryAfterMs, 1000);
    QVERIFY(qAbs(b.retryAfterMs - 600) <= 1);
    QVERIFY(qAbs(c.retryAfterMs - 100) <= 1);
    QVERIFY(c.retryAfterMs > 0);
    QVERIFY(limiter.take("k", rule, kT0 + 1001 * kMs).allowed);
}

void tst_RateLimiter::keysAreIndependent()
{
    RateLimiter limiter;
    const RateRule rule{1, 2};
    QVERIFY(limiter.take("send:1", rule, kT0).allowed);
    QVERIFY(limiter.take("send:1", rule, kT0).allowed);
    QVERIFY(!limiter.take("send:1", rule, kT0).allowed);
    QVERIFY(limiter.take("send:2", rule, kT0).allowed);
    QVERIFY(limiter.take("typing:1:5", rule, kT0).allowed);
    QCOMPARE(limiter.size(), 3);
}

void tst_RateLimiter::refusalsDoNotCost()
{
    // A client hammering while refused is not pushed further back.
    RateLimiter limiter;
    const RateRule rule{10, 1};
    QVERIFY(limiter.take("k", rule, kT0).allowed);
    for (int i = 0; i < 100; ++i)
        QVERIFY(!limiter.take("k", rule, kT0 + i * kMs / 10).allowed);
    QVERIFY(limiter.take("k", rule, kT0 + 100 * kMs).allowed);
}

void tst_RateLimiter::fullBucketsAreForgotten()
{
    RateLimiter limiter;
    const RateRule rule{10, 5};
    for (int i = 0; i < 100; ++i)
        QVERIFY(limiter.take("old:" + QByteArray::number(i), rule, kT0).allowed);
    QCOMPARE(limiter.size(), 100);
    // Long after, the old buckets have refilled; new traffic sweeps them out.
    const qint64 later = kT0 + 60 * kS;
    for (int i = 0; i < 400; ++i)
        QVERIFY(limiter.take("new:" + QByteArray::number(i), rule, later).allowed);
    QCOMPARE(limiter.size(), 400);
    // A bucket still being drained is kept.
    for (int i = 0; i < 5; ++i)
        QVERIFY(limiter.take("busy", rule, later + 20 * kS).allowed);
    QVERIFY(!limiter.take("busy", rule, later + 20 * kS).allowed);
}

QTEST_APPLESS_MAIN(tst_RateLimiter)
#include "tst_rate_limiter.moc"
