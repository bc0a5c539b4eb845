// formatRfc3339Ms: the hand-written calendar arithmetic against known dates
// and against QDateTime over many instants.

#include "time/rfc3339.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QtTest>

using namespace sanayicin;

class tst_Rfc3339 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void knownInstants_data();
    void knownInstants();
    void agreesWithQDateTime();
    void everyDayOfALeapYear();
};

void tst_Rfc3339::knownInstants_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("epoch") << qint64(0) << QByteArray("1970-01-01T00:00:00.000Z");
    QTest::newRow("1 ms") << qint64(1) << QByteArray("1970-01-01T00:00:00.001Z");
    QTest::newRow("10 ms") << qint64(10) << QByteArray("1970-01-01T00:00:00.010Z");
    QTest::newRow("100 ms") << qint64(100) << QByteArray("1970-01-01T00:00:00.100Z");
    QTest::newRow("ms padding 005") << qint64(1709164800005) << QByteArray("2024-02-29T00:00:00.005Z");
    QTest::newRow("ms padding 050") << qint64(1709164800050) << QByteArray("2024-02-29T00:00:00.050Z");
    QTest::newRow("leap day 2024") << qint64(1709164800000) << QByteArray("2024-02-29T00:00:00.000Z");
    QTest::newRow("leap day end") << qint64(1709251199999) << QByteArray("2024-02-29T23:59:59.999Z");
    QTest::newRow("day after leap day") << qint64(1709251200000) << QByteArray("2024-03-01T00:00:00.000Z");
    QTest::newRow("1999 last ms") << qint64(946684799999) << QByteArray("1999-12-31T23:59:59.999Z");
    QTest::newRow("2000 first ms") << qint64(946684800000) << QByteArray("2000-01-01T00:00:00.000Z");
    QTest::newRow("2000 leap day (400 rule)") << qint64(951827696789)
                                              << QByteArray("2000-02-29T12:34:56.789Z");
    QTest::newRow("2100 is not leap") << qint64(4107542400000) << QByteArray("2100-03-01T00:00:00.000Z");
    QTest::newRow("spec example") << qint64(1795671578123) << QByteArray("2026-11-26T05:39:38.123Z");
    QTest::newRow("9999 last second") << qint64(253402300799000) << QByteArray("9999-12-31T23:59:59.000Z");
    QTest::newRow("before epoch") << qint64(-1) << QByteArray("1969-12-31T23:59:59.999Z");
    QTest::newRow("a day before epoch") << qint64(-86400000) << QByteArray("1969-12-31T00:00:00.000Z");
}

void tst_Rfc3339::knownInstants()
{
    QFETCH(qint64, ms);
    QFETCH(QByteArray, text);
    QCOMPARE(formatRfc3339Ms(ms), text);
}

void tst_Rfc3339::agreesWithQDateTime()
{
    // Random instants from 1970 to 2200, plus every month boundary of 2023-2025.
    QList<qint64> samples;
    QRandomGenerator rng(20240229);
    for (int i = 0; i < 20000; ++i)
        samples << qint64(rng.bounded(quint64(7258118400000ULL)));
    for (int y = 2023; y <= 2025; ++y)
        for (int m = 1; m <= 12; ++m) {
            const qint64 t = QDateTime(QDate(y, m, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
            samples << t << t - 1;
        }
    for (qint64 ms : std::as_const(samples)) {
        const QByteArray expected = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)
                                        .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"))
                                        .toLatin1();
        if (formatRfc3339Ms(ms) != expected)
            QFAIL(qPrintable(QStringLiteral("%1: got %2, expected %3")
                                 .arg(ms)
                                 .arg(QString::fromLatin1(formatRfc3339Ms(ms)),
                                      QString::fromLatin1(expected))));
    }
}

void tst_Rfc3339::everyDayOfALeapYear()
{
    QDate d(2024, 1, 1);
    while (d.year() == 2024) {
        const qint64 ms = QDateTime(d, QTime(12, 0), Qt::UTC).toMSecsSinceEpoch();
        QCOMPARE(formatRfc3339Ms(ms).left(10), d.toString(Qt::ISODate).toLatin1());
        d = d.addDays(1);
    }
}

QTEST_APPLESS_MAIN(tst_Rfc3339)
#include "tst_rfc3339.moc"
