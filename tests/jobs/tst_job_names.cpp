// The admin API's job queue names and dead letter ids (path segments, from
// the network): lengths at the edges, every character class, non-ASCII.

#include "jobs/job_admin.h"

#include <QtTest>

using namespace sanayicin::jobs;

class tst_JobNames : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void queueNames_data();
    void queueNames();
    void deadLetterIds_data();
    void deadLetterIds();
};

void tst_JobNames::queueNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("one") << QStringLiteral("a") << true;
    QTest::newRow("64") << QString(64, QLatin1Char('q')) << true;
    QTest::newRow("65") << QString(65, QLatin1Char('q')) << false;
    QTest::newRow("every kind") << QStringLiteral("Notify.v2_high-1") << true;
    QTest::newRow("space") << QStringLiteral("a b") << false;
    QTest::newRow("colon") << QStringLiteral("a:b") << false;
    QTest::newRow("slash") << QStringLiteral("a/b") << false;
    QTest::newRow("NUL") << QStringLiteral("a") + QChar(0) << false;
    QTest::newRow("dotless i") << QStringLiteral("ı") << false;
    QTest::newRow("fullwidth a") << QStringLiteral("\uff41") << false;
}

void tst_JobNames::queueNames()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(isValidQueueName(name), valid);
}

void tst_JobNames::deadLetterIds_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<bool>("valid");
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("row id") << QStringLiteral("42") << true;
    QTest::newRow("stream id") << QStringLiteral("1796402668638-0") << true;
    QTest::newRow("64") << QString(64, QLatin1Char('9')) << true;
    QTest::newRow("65") << QString(65, QLatin1Char('9')) << false;
    QTest::newRow("2^64-1") << QStringLiteral("18446744073709551615") << true; // its queue says no such
    QTest::newRow("letter") << QStringLiteral("12a") << false;
    QTest::newRow("plus") << QStringLiteral("+1") << false;
    QTest::newRow("arabic digit") << QStringLiteral("\u0661") << false;
}

void tst_JobNames::deadLetterIds()
{
    QFETCH(QString, id);
    QFETCH(bool, valid);
    QCOMPARE(isValidDeadLetterId(id), valid);
}

QTEST_GUILESS_MAIN(tst_JobNames)
#include "tst_job_names.moc"
