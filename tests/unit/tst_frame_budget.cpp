// FrameBudget: the per-connection token bucket every WebSocket frame costs
// from (rate_limited past it, 1008 for a client that keeps going).

#include "ws/frame_budget.h"

#include <QtTest>

using namespace sanayicin;

namespace {
constexpr qint64 kSecond = 1'000'000'000;
constexpr qint64 kStart = 1000 * kSecond; // any steady-clock instant
} // namespace

class tst_FrameBudget : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void startsWithTheBurst();
    void refillsAtTheRate();
    void neverMoreThanTheBurst();
    void retryAfterUntilOneToken();
    void abusiveAfterABurstOfRefusals();
    void anAcceptedFrameForgivesTheStreak();
    void clockGoingBackwards();
};

void tst_FrameBudget::startsWithTheBurst()
{
    FrameBudget b;
    const RateRule rule{50, 200};
    for (int i = 0; i < 200; ++i)
        QVERIFY(b.take(kStart, rule).allowed);
    const auto v = b.take(kStart, rule);
    QVERIFY(!v.allowed);
    QVERIFY(!v.abusive);
}

void tst_FrameBudget::refillsAtTheRate()
{
    FrameBudget b;
    const RateRule rule{50, 10};
    for (int i = 0; i < 10; ++i)
        QVERIFY(b.take(kStart, rule).allowed);
    QVERIFY(!b.take(kStart, rule).allowed);
    QVERIFY(!b.take(kStart + kSecond / 50 - 1, rule).allowed); // not quite one token yet
    QVERIFY(b.take(kStart + kSecond / 50 + 1, rule).allowed);
    // A second later: 50 tokens, capped at the burst of 10.
    const qint64 later = kStart + 2 * kSecond;
    for (int i = 0; i < 10; ++i)
        QVERIFY(b.take(later, rule).allowed);
    QVERIFY(!b.take(later, rule).allowed);
}

void tst_FrameBudget::neverMoreThanTheBurst()
{
    FrameBudget b;
    const RateRule rule{1000000, 5};
    QVERIFY(b.take(kStart, rule).allowed);
    const qint64 muchLater = kStart + 1'000'000 * kSecond;
    int allowed = 0;
    while (b.take(muchLater, rule).allowed)
        ++allowed;
    QCOMPARE(allowed, 5);
}

void tst_FrameBudget::retryAfterUntilOneToken()
{
    FrameBudget b;
    const RateRule rule{4, 1};
    QVERIFY(b.take(kStart, rule).allowed);
    QCOMPARE(b.take(kStart, rule).retryAfterMs, 250);
    QCOMPARE(b.take(kStart + kSecond / 8, rule).retryAfterMs, 125);
    // Never 0, however close.
    QCOMPARE(b.take(kStart + kSecond / 4 - 10, rule).retryAfterMs, 1);
    const RateRule fast{1e6, 1};
    FrameBudget c;
    QVERIFY(c.take(kStart, fast).allowed);
    QCOMPARE(c.take(kStart, fast).retryAfterMs, 1);
}

void tst_FrameBudget::abusiveAfterABurstOfRefusals()
{
    FrameBudget b;
    const RateRule rule{50, 20};
    for (int i = 0; i < 20; ++i)
        QVERIFY(b.take(kStart, rule).allowed);
    for (int i = 0; i < 20; ++i) {
        const auto v = b.take(kStart, rule);
        QVERIFY(!v.allowed);
        QVERIFY2(!v.abusive, qPrintable(QString::number(i)));
    }
    const auto v = b.take(kStart, rule);
    QVERIFY(!v.allowed);
    QVERIFY(v.abusive);
}

void tst_FrameBudget::anAcceptedFrameForgivesTheStreak()
{
    FrameBudget b;
    const RateRule rule{10, 3};
    qint64 now = kStart;
    for (int i = 0; i < 3; ++i)
        QVERIFY(b.take(now, rule).allowed);
    // A client at twice the rate: every other frame refused, never abusive.
    for (int i = 0; i < 1000; ++i) {
        now += kSecond / 20;
        const auto v = b.take(now, rule);
        QVERIFY(!v.abusive);
    }
}

void tst_FrameBudget::clockGoingBackwards()
{
    FrameBudget b;
    const RateRule rule{1, 2};
    QVERIFY(b.take(kStart, rule).allowed);
    QVERIFY(b.take(kStart - kSecond, rule).allowed);
    QVERIFY(!b.take(kStart - 2 * kSecond, rule).allowed); // no tokens from going back
    QVERIFY(b.take(kStart + kSecond + 1, rule).allowed);
}

QTEST_APPLESS_MAIN(tst_FrameBudget)
#include "tst_frame_budget.moc"
