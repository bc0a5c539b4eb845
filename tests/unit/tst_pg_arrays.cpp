// pgIntArray / pgTextArray: the array literals the group commit sends to
// PostgreSQL (their round trip through a real server is in the storage tests).

#include "storage/db.h"

#include <QtTest>

using namespace sanayicin;
using namespace Qt::StringLiterals;

class tst_PgArrays : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void ints();
    void texts_data();
    void texts();
    void manyTexts();
};

void tst_PgArrays::ints()
{
    QCOMPARE(pgIntArray({}), QByteArray("{}"));
    QCOMPARE(pgIntArray({7}), QByteArray("{7}"));
    QCOMPARE(pgIntArray({0, -1, 42, std::numeric_limits<qint64>::max(), std::numeric_limits<qint64>::min()}),
             QByteArray("{0,-1,42,9223372036854775807,-9223372036854775808}"));
}

void tst_PgArrays::texts_data()
{
    QTest::addColumn<QList<QString>>("values");
    QTest::addColumn<QByteArray>("literal");
    QTest::newRow("none") << QList<QString>{} << QByteArray("{}");
    QTest::newRow("empty string") << QList<QString>{QString()} << QByteArray(R"({""})");
    QTest::newRow("plain") << QList<QString>{u"a"_s, u"bc"_s} << QByteArray(R"({"a","bc"})");
    QTest::newRow("quote and backslash")
        << QList<QString>{uR"(say "hi" \o/)"_s} << QByteArray(R"({"say \"hi\" \\o/"})");
    QTest::newRow("comma, braces, NULL word")
        << QList<QString>{u"a,b"_s, u"{x}"_s, u"NULL"_s} << QByteArray(R"({"a,b","{x}","NULL"})");
    QTest::newRow("Turkish and emoji")
        << QList<QString>{u"Işık 😀"_s} << QByteArray("{\"I\xC5\x9F\xC4\xB1k \xF0\x9F\x98\x80\"}");
    // A long value after a short one: the reused buffer grows.
    QTest::newRow("short then long")
        << QList<QString>{u"x"_s, QString(5000, u'ş')}
        << QByteArray("{\"x\",\"" + QString(5000, u'ş').toUtf8() + "\"}");
}

void tst_PgArrays::texts()
{
    QFETCH(QList<QString>, values);
    QFETCH(QByteArray, literal);
    QCOMPARE(pgTextArray(values), literal);
}

void tst_PgArrays::manyTexts()
{
    QList<QString> values;
    QByteArray expected = "{";
    for (int i = 0; i < 1000; ++i) {
        const QString v = QString::number(i) + (i % 2 ? u"\"ü"_s : u"\\"_s);
        values << v;
        expected += (i ? ",\"" : "\"") + QString(v).replace(u'\\', u"\\\\"_s).replace(u'"', u"\\\""_s).toUtf8() + '"';
    }
    expected += '}';
    QCOMPARE(pgTextArray(values), expected);
}

QTEST_APPLESS_MAIN(tst_PgArrays)
#include "tst_pg_arrays.moc"
