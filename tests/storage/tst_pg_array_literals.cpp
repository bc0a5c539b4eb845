// pgTextArray against a real PostgreSQL: tricky strings go through the
// literal and unnest($1::text[]) and come back exactly (lone surrogates and
// U+0000 as U+FFFD in their own element); and the reference reader the
// fuzz target trusts agrees with the server on hand-written literals.

#include "storage_test.h"

#include "storage/pg_arrays.h"
#include "../fuzz/pg_array_reference.h"

using namespace sanayicin;
using namespace sanayicin::test;
using namespace Qt::StringLiterals;

namespace {

// What the server makes of a text[] literal, element by element.
std::optional<QList<reference::PgElement>> serverReads(Db &db, const QByteArray &literal)
{
    DbRows rows;
    try {
        rows = rawQuery(db,
                        "SELECT v IS NULL, v FROM unnest($1::text[]) WITH ORDINALITY AS t(v, n) "
                        "ORDER BY n",
                        {literal});
    } catch (const DbError &) {
        return std::nullopt;
    }
    QList<reference::PgElement> out;
    for (int r = 0; r < rows.size(); ++r)
        out.append(rows.text(r, 0) == u"t" ? reference::PgElement() : rows.utf8(r, 1));
    return out;
}

} // namespace

class tst_PgArrayLiterals : public StorageTest
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data() { addDialectRows(); }
    void initTestCase() { initSanayicinResources(); }
    void init();
    void cleanup() { m_db.reset(); }

    void trickyStringsRoundTrip();
    void referenceAgreesWithServer_data();
    void referenceAgreesWithServer();
};

void tst_PgArrayLiterals::init()
{
    if (dialect() != u"postgresql")
        QSKIP("array literals are PostgreSQL's");
    QVERIFY(openDatabase());
}

void tst_PgArrayLiterals::trickyStringsRoundTrip()
{
    QList<QString> values{u"\""_s,      u"\\"_s,     u"\\\""_s,   u"\"\\"_s,    u"{"_s,
                          u"}"_s,       u"{a,b}"_s,  u","_s,      u"NULL"_s,    u"null"_s,
                          u" NULL "_s,  QString(),   u" "_s,      u"\t"_s,      u"  a  "_s,
                          u"\n\r\v\f"_s, u"\u00a0"_s, u"\u3000"_s, u"ışık İŞĞÜÖÇ"_s,
                          u"😀👋🏽👨‍👩‍👧"_s, u"\u2028\ufeff\uffff"_s, u"$1 ? -- /*"_s, u"'"_s};
    for (char16_t c = 1; c < 0x20; ++c) // every control character, alone and inside text
        values << QString(QChar(c)) << u"a"_s + QChar(c) + u"b"_s;
    values << u"\x7f"_s;
    // Lone surrogates (refused at validation; the writer must still keep
    // each in its own element) and U+0000, each followed by a plain value.
    for (const QString &odd : {QString(QChar(0xD800)), u"x"_s + QChar(0xDBFF),
                               QString(QChar(0xDC00)) + u"y"_s, QString(QChar(0xDFFF)) + QChar(0xD800),
                               QString(QChar(0)), u"a"_s + QChar(0) + u"b"_s})
        values << odd << u"plain"_s;
    values << u"😀"_s.repeated(4000);

    const auto read = serverReads(db(), pgTextArray(values));
    QVERIFY(read);
    QCOMPARE(read->size(), values.size());
    for (qsizetype i = 0; i < values.size(); ++i) {
        QVERIFY2(read->at(i), qPrintable(QString::number(i)));
        QCOMPARE(*read->at(i), reference::pgStoredUtf8(values[i]));
    }
    // The same, one element at a time.
    for (const QString &v : std::as_const(values)) {
        const auto one = serverReads(db(), pgTextArray({v}));
        QVERIFY(one && one->size() == 1);
        QCOMPARE(*one->at(0), reference::pgStoredUtf8(v));
    }
    const auto ints = rawQuery(db(), "SELECT x FROM unnest($1::bigint[]) AS t(x)",
                               {pgIntArray({0, -1, std::numeric_limits<qint64>::max(),
                                            std::numeric_limits<qint64>::min()})});
    QCOMPARE(ints.size(), 4);
    QCOMPARE(ints.int64(2, 0), std::numeric_limits<qint64>::max());
    QCOMPARE(ints.int64(3, 0), std::numeric_limits<qint64>::min());
}

void tst_PgArrayLiterals::referenceAgreesWithServer_data()
{
    QTest::addColumn<QByteArray>("literal");
    QTest::newRow("empty") << QByteArray("{}");
    QTest::newRow("spaces around") << QByteArray(" { } ");
    QTest::newRow("unquoted") << QByteArray("{a,bc}");
    QTest::newRow("trimmed") << QByteArray("{  a b  , c }");
    QTest::newRow("tabs and newlines trimmed") << QByteArray("{\t\na\r\n,\fb\v}");
    QTest::newRow("NULL spellings") << QByteArray(R"({NULL,null,nUlL,"NULL",\NULL})");
    QTest::newRow("NULL with spaces") << QByteArray("{ NULL , null}");
    QTest::newRow("escapes unquoted") << QByteArray(R"({a\,b,c\}})");
    QTest::newRow("escaped trailing space") << QByteArray(R"({a\ })");
    QTest::newRow("quoted") << QByteArray(R"({"a,b"," ",""})");
    QTest::newRow("quoted escapes") << QByteArray(R"({"\"\\\x"})");
    QTest::newRow("quoted with spaces around") << QByteArray(R"({ "a" , "b" })");
    QTest::newRow("quote inside") << QByteArray(R"({a"b,c"d})");
    QTest::newRow("junk after a quoted element") << QByteArray(R"({"a"b})");
    QTest::newRow("escaped quote unquoted") << QByteArray(R"({a\"b})");
    QTest::newRow("trailing comma") << QByteArray("{a,}");
    QTest::newRow("dimensions") << QByteArray("[1:2]={a,b}");
    QTest::newRow("raw control characters quoted") << QByteArray("{\"\x01\x02\x1f\"}");
    QTest::newRow("multi-byte unquoted") << QByteArray("{\xC4\xB1\xC5\x9F,\xF0\x9F\x98\x80}");
    QTest::newRow("empty element") << QByteArray("{a,,b}");
    QTest::newRow("only a comma") << QByteArray("{,}");
    QTest::newRow("unterminated") << QByteArray("{a");
    QTest::newRow("unterminated quote") << QByteArray(R"({"a})");
    QTest::newRow("junk after") << QByteArray("{a}x");
    QTest::newRow("no braces") << QByteArray("a,b");
    QTest::newRow("trailing backslash") << QByteArray(R"({a\)");
}

void tst_PgArrayLiterals::referenceAgreesWithServer()
{
    QFETCH(QByteArray, literal);
    const auto server = serverReads(db(), literal);
    const auto mine = reference::parsePgArray(literal);
    QCOMPARE(bool(mine), bool(server));
    if (server)
        QCOMPARE(*mine, *server);
}

QTEST_MAIN(tst_PgArrayLiterals)
#include "tst_pg_array_literals.moc"
