// pgIntArray / pgTextArray: the array literals the group commit sends to
// PostgreSQL, written as expected and read back exactly by a reference
// reader of PostgreSQL's array syntax (their round trip through a real
// server is in the storage test tst_pg_array_literals).

#include "storage/pg_arrays.h"
#include "../fuzz/pg_array_reference.h"

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
    void eachValueEncodedOnItsOwn();
    void readBackByTheReference_data();
    void readBackByTheReference();
    void referenceReader_data();
    void referenceReader();
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
    QTest::newRow("every control character kept")
        << QList<QString>{u"\x01\x02\t\n\r\x1f"_s} << QByteArray("{\"\x01\x02\t\n\r\x1f\"}");
    // The audit's case: a value ending in a lone high surrogate must not move
    // a U+FFFD into the next value (a stateful encoder carries it over).
    QTest::newRow("lone high surrogate at the end, then another value")
        << QList<QString>{u"x"_s + QChar(0xD800), u"abc"_s}
        << QByteArray("{\"x\xEF\xBF\xBD\",\"abc\"}");
    QTest::newRow("lone low surrogate")
        << QList<QString>{QString(QChar(0xDC00)) + u"y"_s} << QByteArray("{\"\xEF\xBF\xBDy\"}");
    QTest::newRow("U+0000 cannot end the parameter")
        << QList<QString>{u"a"_s + QChar(0) + u"b"_s, u"c"_s} << QByteArray("{\"a\xEF\xBF\xBD" "b\",\"c\"}");
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

void tst_PgArrays::eachValueEncodedOnItsOwn()
{
    // Whatever a value ends with, the next one reads back unchanged.
    const QList<QString> tails{QString(QChar(0xD800)), QString(QChar(0xDBFF)), QString(QChar(0xDC00)),
                               u"\\"_s, u"\""_s, u"😀"_s, QString()};
    for (const QString &tail : tails) {
        const auto parsed = reference::parsePgArray(pgTextArray({u"a"_s + tail, u"next"_s}));
        QVERIFY(parsed);
        QCOMPARE(parsed->size(), 2);
        QCOMPARE(parsed->at(1), reference::PgElement(QByteArray("next")));
    }
}

void tst_PgArrays::readBackByTheReference_data()
{
    QTest::addColumn<QList<QString>>("values");
    QString controls;
    for (char16_t c = 1; c < 0x20; ++c)
        controls += QChar(c);
    QTest::newRow("none") << QList<QString>{};
    QTest::newRow("syntax characters")
        << QList<QString>{u"\""_s, u"\\"_s, u"{"_s, u"}"_s, u","_s, u"{a,b}"_s, u"\\\""_s, u"\"\\"_s};
    QTest::newRow("NULL spelled") << QList<QString>{u"NULL"_s, u"null"_s, u"NuLl"_s, u" NULL "_s};
    QTest::newRow("empty and white space")
        << QList<QString>{QString(), u" "_s, u"\t"_s, u"  a  "_s, u"\n\r\v\f"_s, u"\u00a0"_s};
    QTest::newRow("control characters") << QList<QString>{controls, controls + u"\\"_s};
    QTest::newRow("multi-byte") << QList<QString>{u"ışık İŞĞÜÖÇ"_s, u"😀👋🏽"_s, u"\u2028\ufeff\uffff"_s};
    QTest::newRow("lone surrogates")
        << QList<QString>{QString(QChar(0xD800)), u"a"_s + QChar(0xDFFF) + u"b"_s,
                          QString(QChar(0xDC00)) + QChar(0xD800)};
    QTest::newRow("U+0000") << QList<QString>{QString(QChar(0)), u"a"_s + QChar(0)};
}

void tst_PgArrays::readBackByTheReference()
{
    QFETCH(QList<QString>, values);
    const auto parsed = reference::parsePgArray(pgTextArray(values));
    QVERIFY(parsed);
    QCOMPARE(parsed->size(), values.size());
    for (qsizetype i = 0; i < values.size(); ++i)
        QCOMPARE(parsed->at(i), reference::PgElement(reference::pgStoredUtf8(values[i])));
}

// The reference reader on literals written by hand (the same literals go
// through a real server in tst_pg_array_literals).
void tst_PgArrays::referenceReader_data()
{
    QTest::addColumn<QByteArray>("literal");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QList<QByteArray>>("elements"); // "<NULL>" for SQL NULL
    const QByteArray null = "<NULL>";
    QTest::newRow("empty") << QByteArray("{}") << true << QList<QByteArray>{};
    QTest::newRow("spaces around") << QByteArray(" { } ") << true << QList<QByteArray>{};
    QTest::newRow("unquoted") << QByteArray("{a,bc}") << true << QList<QByteArray>{"a", "bc"};
    QTest::newRow("trimmed") << QByteArray("{  a b  , c }") << true << QList<QByteArray>{"a b", "c"};
    QTest::newRow("NULL") << QByteArray("{NULL,null,\"NULL\",\\NULL}") << true
                          << QList<QByteArray>{null, null, "NULL", "NULL"};
    QTest::newRow("escapes unquoted") << QByteArray("{a\\,b,c\\}}") << true
                                      << QList<QByteArray>{"a,b", "c}"};
    QTest::newRow("escaped trailing space") << QByteArray("{a\\ }") << true << QList<QByteArray>{"a "};
    QTest::newRow("quoted") << QByteArray("{\"a,b\",\" \",\"\"}") << true
                            << QList<QByteArray>{"a,b", " ", ""};
    QTest::newRow("quoted escapes") << QByteArray("{\"\\\"\\\\\\x\"}") << true
                                    << QList<QByteArray>{"\"\\x"};
    QTest::newRow("dimensions") << QByteArray("[1:2]={a,b}") << true << QList<QByteArray>{"a", "b"};
    QTest::newRow("empty element") << QByteArray("{a,,b}") << false << QList<QByteArray>{};
    QTest::newRow("quote inside") << QByteArray("{a\"b}") << false << QList<QByteArray>{};
    QTest::newRow("junk after a quoted element") << QByteArray("{\"a\"b}") << false
                                                 << QList<QByteArray>{};
    QTest::newRow("trailing comma") << QByteArray("{a,}") << false << QList<QByteArray>{};
    QTest::newRow("unterminated") << QByteArray("{a") << false << QList<QByteArray>{};
    QTest::newRow("unterminated quote") << QByteArray("{\"a}") << false << QList<QByteArray>{};
    QTest::newRow("junk after") << QByteArray("{a}x") << false << QList<QByteArray>{};
    QTest::newRow("no braces") << QByteArray("a,b") << false << QList<QByteArray>{};
}

void tst_PgArrays::referenceReader()
{
    QFETCH(QByteArray, literal);
    QFETCH(bool, valid);
    QFETCH(QList<QByteArray>, elements);
    const auto parsed = reference::parsePgArray(literal);
    QCOMPARE(bool(parsed), valid);
    if (!parsed)
        return;
    QList<QByteArray> got;
    for (const auto &e : *parsed)
        got << (e ? *e : QByteArray("<NULL>"));
    QCOMPARE(got, elements);
}

QTEST_APPLESS_MAIN(tst_PgArrays)
#include "tst_pg_arrays.moc"
