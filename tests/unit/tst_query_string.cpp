// QueryString: application/x-www-form-urlencoded as clients send it ('+' is
// a space, "%2B" a plus), broken escapes, UTF-8 and U+0000 refused.

#include "http/query_string.h"

#include <QtTest>

using namespace sanayicin;
using namespace Qt::StringLiterals;

using Items = QList<std::pair<QString, QString>>;
Q_DECLARE_METATYPE(Items)

class tst_QueryString : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void lookups();
    void everyByteEscaped();
};

void tst_QueryString::parse_data()
{
    QTest::addColumn<QByteArray>("encoded");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<Items>("items");

    QTest::newRow("empty") << QByteArray() << true << Items{};
    QTest::newRow("one") << QByteArray("q=usta") << true << Items{{u"q"_s, u"usta"_s}};
    QTest::newRow("plus is space") << QByteArray("q=ahmet+usta") << true
                                   << Items{{u"q"_s, u"ahmet usta"_s}};
    QTest::newRow("%20 is space") << QByteArray("q=ahmet%20usta") << true
                                  << Items{{u"q"_s, u"ahmet usta"_s}};
    QTest::newRow("%2B is plus") << QByteArray("q=c%2B%2b") << true << Items{{u"q"_s, u"c++"_s}};
    QTest::newRow("plus in name") << QByteArray("a+b=1") << true << Items{{u"a b"_s, u"1"_s}};
    QTest::newRow("Turkish, as requests sends it")
        << QByteArray("q=I%C5%9F%C4%B1k+Elektrik&city=%C4%B0stanbul") << true
        << Items{{u"q"_s, u"Işık Elektrik"_s}, {u"city"_s, u"İstanbul"_s}};
    QTest::newRow("escaped separators") << QByteArray("q=a%26b%3Dc") << true
                                        << Items{{u"q"_s, u"a&b=c"_s}};
    QTest::newRow("no value") << QByteArray("flag") << true << Items{{u"flag"_s, QString()}};
    QTest::newRow("empty value") << QByteArray("q=") << true << Items{{u"q"_s, QString()}};
    QTest::newRow("empty pairs skipped") << QByteArray("&&a=1&&b=2&") << true
                                         << Items{{u"a"_s, u"1"_s}, {u"b"_s, u"2"_s}};
    QTest::newRow("second = kept") << QByteArray("a=b=c") << true << Items{{u"a"_s, u"b=c"_s}};
    QTest::newRow("repeated name") << QByteArray("a=1&a=2") << true
                                   << Items{{u"a"_s, u"1"_s}, {u"a"_s, u"2"_s}};
    QTest::newRow("emoji") << QByteArray("q=%F0%9F%94%A7") << true << Items{{u"q"_s, u"🔧"_s}};
    QTest::newRow("lower-case hex") << QByteArray("q=%c3%a7") << true << Items{{u"q"_s, u"ç"_s}};

    QTest::newRow("lone %") << QByteArray("q=%") << false << Items{};
    QTest::newRow("% and one digit") << QByteArray("q=%4") << false << Items{};
    QTest::newRow("% not hex") << QByteArray("q=%zz") << false << Items{};
    QTest::newRow("% half hex") << QByteArray("q=%4g") << false << Items{};
    QTest::newRow("broken in name") << QByteArray("%x=1") << false << Items{};
    QTest::newRow("invalid UTF-8") << QByteArray("q=%FF") << false << Items{};
    QTest::newRow("truncated UTF-8") << QByteArray("q=%C3") << false << Items{};
    QTest::newRow("overlong UTF-8") << QByteArray("q=%C0%AF") << false << Items{};
    QTest::newRow("surrogate in UTF-8") << QByteArray("q=%ED%A0%80") << false << Items{};
    QTest::newRow("U+0000") << QByteArray("q=a%00b") << false << Items{};
    QTest::newRow("U+0000 in name") << QByteArray("%00=1") << false << Items{};
}

void tst_QueryString::parse()
{
    QFETCH(QByteArray, encoded);
    QFETCH(bool, valid);
    QFETCH(Items, items);
    const auto q = QueryString::parse(encoded);
    QCOMPARE(q.has_value(), valid);
    if (valid)
        QCOMPARE(q->items(), items);
}

void tst_QueryString::lookups()
{
    const auto q = QueryString::parse("limit=5&q=a+b&q=second&empty=");
    QVERIFY(q);
    QVERIFY(q->contains("limit"_L1));
    QVERIFY(q->contains("empty"_L1));
    QVERIFY(!q->contains("offset"_L1));
    QCOMPARE(q->value("q"_L1), u"a b"_s); // the first
    QCOMPARE(q->value("empty"_L1), QString());
    QCOMPARE(q->value("offset"_L1), QString());
}

// %XX for every byte decodes to that byte (ASCII), case-insensitively.
void tst_QueryString::everyByteEscaped()
{
    for (int b = 1; b < 128; ++b) {
        const QByteArray hex = QByteArray::number(b, 16).rightJustified(2, '0');
        for (const QByteArray &escaped : {'%' + hex.toUpper(), '%' + hex.toLower()}) {
            const auto v = QueryString::decode(escaped);
            QVERIFY2(v, escaped.constData());
            QCOMPARE(*v, QString(QChar(b)));
        }
    }
}

QTEST_APPLESS_MAIN(tst_QueryString)
#include "tst_query_string.moc"
