// JsonFields readers and parseNonNegative, the rule for limit/offset query
// values (spec: above the maximum clamps, negative or non-numeric is 400).

#include "protocol/json_fields.h"

#include <QJsonDocument>
#include <QtTest>

using namespace sanayicin;
using namespace Qt::StringLiterals;

class tst_JsonFields : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseNonNegative_data();
    void parseNonNegative();
    void readers();
};

void tst_JsonFields::parseNonNegative_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("present");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<qint64>("value");
    // fallback 20, max 100 in every row
    QTest::newRow("absent") << QString() << false << true << qint64(20);
    QTest::newRow("absent ignores text") << u"-5"_s << false << true << qint64(20);
    QTest::newRow("0") << u"0"_s << true << true << qint64(0);
    QTest::newRow("5") << u"5"_s << true << true << qint64(5);
    QTest::newRow("at max") << u"100"_s << true << true << qint64(100);
    QTest::newRow("above max clamps") << u"101"_s << true << true << qint64(100);
    QTest::newRow("far above max clamps") << u"5000000"_s << true << true << qint64(100);
    QTest::newRow("int64 max clamps") << u"9223372036854775807"_s << true << true << qint64(100);
    QTest::newRow("beyond int64 clamps") << u"9223372036854775808"_s << true << true
                                         << qint64(100);
    QTest::newRow("huge digit string clamps") << QString(400, u'9') << true << true << qint64(100);
    QTest::newRow("leading zeros") << u"007"_s << true << true << qint64(7);
    QTest::newRow("present but empty") << QString() << true << false << qint64(0);
    QTest::newRow("-1") << u"-1"_s << true << false << qint64(0);
    QTest::newRow("huge negative") << (u"-"_s + QString(400, u'9')) << true << false << qint64(0);
    QTest::newRow("letters") << u"abc"_s << true << false << qint64(0);
    QTest::newRow("digits then letters") << u"10abc"_s << true << false << qint64(0);
    QTest::newRow("fraction") << u"1.5"_s << true << false << qint64(0);
    QTest::newRow("exponent") << u"1e3"_s << true << false << qint64(0);
    QTest::newRow("hex") << u"0x10"_s << true << false << qint64(0);
    QTest::newRow("arabic-indic digits") << u"\u0663\u0663"_s << true << false << qint64(0);
    QTest::newRow("fullwidth digits, huge")
        << QString(30, QChar(0xff19)) << true << false << qint64(0);
}

void tst_JsonFields::parseNonNegative()
{
    QFETCH(QString, text);
    QFETCH(bool, present);
    QFETCH(bool, ok);
    QFETCH(qint64, value);
    const auto v = sanayicin::parseNonNegative(text, present, 20, 100);
    QCOMPARE(v.has_value(), ok);
    if (ok)
        QCOMPARE(*v, value);
}

void tst_JsonFields::readers()
{
    const QJsonObject o = QJsonDocument::fromJson(
        R"({"id":7,"zero":0,"neg":-1,"str":"s","num":3,"nul":null,"nulchar":"a\u0000b"})").object();
    qint64 n = -1;
    QString s;
    {
        JsonFields f(o);
        QVERIFY(f.id("id", n));
        QCOMPARE(n, 7);
        QVERIFY(f.error().isEmpty());
    }
    {
        JsonFields f(o);
        QVERIFY(!f.id("zero", n));
        QVERIFY(f.error().contains(u"zero"_s));
        QVERIFY(!f.id("missing", n));
        QCOMPARE(f.error(), u"missing is required"_s);
    }
    {
        JsonFields f(o);
        QVERIFY(f.optionalId("zero", n, 9));
        QCOMPARE(n, 0);
        QVERIFY(f.optionalId("missing", n, 9));
        QCOMPARE(n, 9);
        QVERIFY(f.optionalId("nul", n, 8));
        QCOMPARE(n, 8);
        QVERIFY(!f.optionalId("neg", n, 9));
        QVERIFY(!f.optionalId("str", n, 9));
    }
    {
        JsonFields f(o);
        QVERIFY(f.string("str", s));
        QCOMPARE(s, u"s"_s);
        QVERIFY(!f.string("num", s));
        QCOMPARE(f.error(), u"num must be a string"_s);
        QVERIFY(!f.string("nul", s));
        QVERIFY(!f.string("nulchar", s));
        QVERIFY(f.error().contains(u"U+0000"_s));
    }
    {
        JsonFields f(o);
        s = u"old"_s;
        QVERIFY(f.optionalString("missing", s));
        QVERIFY(s.isEmpty());
        QVERIFY(f.optionalString("nul", s));
        QVERIFY(!f.optionalString("num", s));
        QVERIFY(!f.optionalString("nulchar", s));
    }
}

QTEST_APPLESS_MAIN(tst_JsonFields)
#include "tst_json_fields.moc"
