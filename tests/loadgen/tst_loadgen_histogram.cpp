// The load generator's latency histogram: exact small values, bounded
// relative error above, percentiles of known distributions, merge, max.

#include "histogram.h"

#include <QtTest>

using sanayicin::loadgen::Histogram;

class tst_LoadgenHistogram : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emptyIsZero();
    void smallValuesAreExact();
    void bucketsBoundTheError();
    void uniformDistribution();
    void tailOfKnownDistribution();
    void maxAndMinAreExact();
    void mergeEqualsRecordingTogether();
    void hugeValues();
};

void tst_LoadgenHistogram::emptyIsZero()
{
    Histogram h;
    QCOMPARE(h.count(), 0u);
    QCOMPARE(h.percentile(50), 0u);
    QCOMPARE(h.percentile(99), 0u);
    QCOMPARE(h.max(), 0u);
    QCOMPARE(h.min(), 0u);
    QCOMPARE(h.mean(), 0.0);
}

void tst_LoadgenHistogram::smallValuesAreExact()
{
    Histogram h;
    for (uint64_t v = 0; v < 256; ++v)
        h.record(v);
    // Rank ceil(0.5 * 256) = 128: the 128th smallest value is 127.
    QCOMPARE(h.percentile(50), 127u);
    QCOMPARE(h.percentile(1), 2u); // rank ceil(2.56) = 3 -> value 2
    QCOMPARE(h.percentile(100), 255u);
    for (uint64_t v = 0; v < 256; ++v)
        QCOMPARE(Histogram::indexOf(v), size_t(v));
}

void tst_LoadgenHistogram::bucketsBoundTheError()
{
    // Every value lies in its bucket, buckets are contiguous, and a bucket is
    // at most 1/128 of its lowest value wide.
    for (uint64_t v = 1; v < (uint64_t(1) << 40); v = v * 3 / 2 + 1) {
        const size_t i = Histogram::indexOf(v);
        QVERIFY(i < Histogram::kBuckets);
        QVERIFY(Histogram::lowestEquivalent(i) <= v);
        QVERIFY(Histogram::highestEquivalent(i) >= v);
        const uint64_t width = Histogram::highestEquivalent(i) - Histogram::lowestEquivalent(i) + 1;
        QVERIFY2(v < 256 ? width == 1 : width * 128 <= Histogram::lowestEquivalent(i),
                 qPrintable(QString::number(v)));
    }
    for (size_t i = 0; i + 1 < Histogram::kBuckets; ++i)
        QCOMPARE(Histogram::highestEquivalent(i) + 1, Histogram::lowestEquivalent(i + 1));
}

void tst_LoadgenHistogram::uniformDistribution()
{
    Histogram h;
    for (uint64_t v = 1; v <= 100000; ++v)
        h.record(v);
    QCOMPARE(h.count(), 100000u);
    auto near = [](uint64_t got, double want) { return std::abs(double(got) - want) <= want / 100; };
    QVERIFY2(near(h.percentile(50), 50000), qPrintable(QString::number(h.percentile(50))));
    QVERIFY2(near(h.percentile(95), 95000), qPrintable(QString::number(h.percentile(95))));
    QVERIFY2(near(h.percentile(99), 99000), qPrintable(QString::number(h.percentile(99))));
    // Never below the true value (the bucket's highest value is reported).
    QVERIFY(h.percentile(50) >= 50000);
    QVERIFY(h.percentile(99) >= 99000);
    QCOMPARE(h.max(), 100000u);
    QCOMPARE(h.mean(), 50000.5);
}

void tst_LoadgenHistogram::tailOfKnownDistribution()
{
    // 990 fast answers and 10 slow ones: p99 is still fast, p99.5 is slow.
    Histogram h;
    for (int i = 0; i < 990; ++i)
        h.record(1000);
    for (int i = 0; i < 10; ++i)
        h.record(250000);
    QVERIFY(h.percentile(50) >= 1000 && h.percentile(50) <= 1008);
    QVERIFY(h.percentile(99) >= 1000 && h.percentile(99) <= 1008);
    QCOMPARE(h.percentile(99.5), 250000u); // clipped to the exact max
    QCOMPARE(h.max(), 250000u);
}

void tst_LoadgenHistogram::maxAndMinAreExact()
{
    Histogram h;
    h.record(123456789);
    h.record(777);
    QCOMPARE(h.max(), 123456789u);
    QCOMPARE(h.min(), 777u);
    QCOMPARE(h.percentile(100), 123456789u);
    QVERIFY(h.percentile(99.9) <= h.max());
    h.recordSigned(-5); // a negative difference counts as 0
    QCOMPARE(h.min(), 0u);
}

void tst_LoadgenHistogram::mergeEqualsRecordingTogether()
{
    Histogram a, b, all;
    for (uint64_t v = 1; v <= 50000; ++v) {
        const uint64_t x = v * 37 % 1000003;
        (v % 2 ? a : b).record(x);
        all.record(x);
    }
    Histogram merged;
    merged.merge(a);
    merged.merge(b);
    QCOMPARE(merged.count(), all.count());
    QCOMPARE(merged.max(), all.max());
    QCOMPARE(merged.min(), all.min());
    QCOMPARE(merged.mean(), all.mean());
    for (double p : {1.0, 50.0, 90.0, 95.0, 99.0, 99.9, 100.0})
        QCOMPARE(merged.percentile(p), all.percentile(p));
    Histogram empty;
    merged.merge(empty); // merging nothing changes nothing
    QCOMPARE(merged.min(), all.min());
    merged.reset();
    QCOMPARE(merged.count(), 0u);
    QCOMPARE(merged.percentile(99), 0u);
}

void tst_LoadgenHistogram::hugeValues()
{
    Histogram h;
    h.record(UINT64_MAX);
    h.record(uint64_t(1) << 63);
    QCOMPARE(h.max(), UINT64_MAX);
    QVERIFY(Histogram::indexOf(UINT64_MAX) < Histogram::kBuckets);
    QCOMPARE(Histogram::highestEquivalent(Histogram::kBuckets - 1), UINT64_MAX);
}

QTEST_APPLESS_MAIN(tst_LoadgenHistogram)
#include "tst_loadgen_histogram.moc"
