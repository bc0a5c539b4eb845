// JsonWriter and appendJsonString: escaping, UTF-8, separators, nesting. Every
// output must also parse back with QJsonDocument to the value written.

#include "json/json_writer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace sanayicin;
using namespace Qt::StringLiterals;

class tst_JsonWriter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void escapesStrings_data();
    void escapesStrings();
    void utf8PassThroughIsEscapedToo_data();
    void utf8PassThroughIsEscapedToo();
    void everyControlCharacterRoundTrips();
    void commasAndNesting();
    void emptyContainers();
    void integersAndBooleans();
    void rawAndNull();
    void appendsToExistingBytes();
};

void tst_JsonWriter::escapesStrings_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QByteArray>("expected"); // the exact JSON text
    QTest::addColumn<QString>("parsedBack");  // what a JSON parser reads

    QTest::newRow("plain") << u"abc"_s << QByteArray(R"("abc")") << u"abc"_s;
    QTest::newRow("empty") << QString() << QByteArray(R"("")") << QString();
    QTest::newRow("quote") << u"a\"b"_s << QByteArray(R"("a\"b")") << u"a\"b"_s;
    QTest::newRow("backslash") << u"a\\b"_s << QByteArray(R"("a\\b")") << u"a\\b"_s;
    QTest::newRow("slash untouched") << u"a/b"_s << QByteArray(R"("a/b")") << u"a/b"_s;
    QTest::newRow("newline") << u"a\nb"_s << QByteArray(R"("a\nb")") << u"a\nb"_s;
    QTest::newRow("cr tab") << u"\r\t"_s << QByteArray(R"("\r\t")") << u"\r\t"_s;
    QTest::newRow("backspace formfeed") << u"\b\f"_s << QByteArray(R"("\b\f")") << u"\b\f"_s;
    QTest::newRow("U+0001") << QString(QChar(0x01)) << QByteArray(R"("\u0001")")
                            << QString(QChar(0x01));
    QTest::newRow("U+001F") << QString(QChar(0x1f)) << QByteArray(R"("\u001f")")
                            << QString(QChar(0x1f));
    QTest::newRow("U+0000") << QString(QChar(0)) << QByteArray(R"("\u0000")")
                            << QString(QChar(0));
    QTest::newRow("DEL raw") << QString(QChar(0x7f)) << QByteArray("\"\x7f\"")
                             << QString(QChar(0x7f));
    QTest::newRow("2-byte UTF-8") << u"ç"_s << QByteArray("\"\xc3\xa7\"") << u"ç"_s;
    QTest::newRow("Turkish") << u"İşçi ığdır"_s << u"\"İşçi ığdır\""_s.toUtf8()
                             << u"İşçi ığdır"_s;
    QTest::newRow("3-byte UTF-8") << u"€"_s << QByteArray("\"\xe2\x82\xac\"") << u"€"_s;
    QTest::newRow("U+FFFF") << QString(QChar(0xffff)) << QByteArray("\"\xef\xbf\xbf\"")
                            << QString(QChar(0xffff));
    QTest::newRow("surrogate pair") << u"👋"_s << QByteArray("\"\xf0\x9f\x91\x8b\"") << u"👋"_s;
    QTest::newRow("U+10FFFF") << QString::fromUcs4(U"\U0010FFFF")
                              << QByteArray("\"\xf4\x8f\xbf\xbf\"")
                              << QString::fromUcs4(U"\U0010FFFF");
    QTest::newRow("mixed") << u"\"👋\"\n"_s << QByteArray("\"\\\"\xf0\x9f\x91\x8b\\\"\\n\"")
                           << u"\"👋\"\n"_s;

    const QString fffd(QChar(0xfffd));
    const QByteArray fffdUtf8("\xef\xbf\xbd");
    QTest::newRow("lone high surrogate")
        << (u"a"_s + QChar(0xd83d) + u"b"_s) << QByteArray("\"a" + fffdUtf8 + "b\"")
        << (u"a"_s + fffd + u"b"_s);
    QTest::newRow("lone low surrogate")
        << (u"a"_s + QChar(0xdc4b)) << QByteArray("\"a" + fffdUtf8 + "\"") << (u"a"_s + fffd);
    QTest::newRow("high surrogate at end")
        << QString(QChar(0xd83d)) << QByteArray("\"" + fffdUtf8 + "\"") << fffd;
    QTest::newRow("two high surrogates then low")
        << (QString(QChar(0xd83d)) + QChar(0xd83d) + QChar(0xdc4b))
        << QByteArray("\"" + fffdUtf8 + "\xf0\x9f\x91\x8b\"") << (fffd + u"👋"_s);
    QTest::newRow("reversed pair")
        << (QString(QChar(0xdc4b)) + QChar(0xd83d))
        << QByteArray("\"" + fffdUtf8 + fffdUtf8 + "\"") << (fffd + fffd);
}

void tst_JsonWriter::escapesStrings()
{
    QFETCH(QString, input);
    QFETCH(QByteArray, expected);
    QFETCH(QString, parsedBack);

    QByteArray out;
    appendJsonString(out, input);
    QCOMPARE(out, expected);

    // Through the writer too, and it must parse back.
    QByteArray doc;
    JsonWriter(doc).beginArray().value(input).endArray();
    QCOMPARE(doc, "[" + expected + "]");
    QJsonParseError err;
    const QJsonDocument parsed = QJsonDocument::fromJson(doc, &err);
    QCOMPARE(err.error, QJsonParseError::NoError);
    QCOMPARE(parsed.array().at(0).toString(), parsedBack);
    // Always valid UTF-8.
    QCOMPARE(QString::fromUtf8(doc).toUtf8(), doc);
}

void tst_JsonWriter::utf8PassThroughIsEscapedToo_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("ascii") << QByteArray("customer") << QByteArray(R"("customer")");
    QTest::newRow("quote and backslash") << QByteArray("a\"\\") << QByteArray(R"("a\"\\")");
    QTest::newRow("control") << QByteArray("\x01\n") << QByteArray(R"("\u0001\n")");
    QTest::newRow("multibyte kept") << u"şü👋"_s.toUtf8() << ("\"" + u"şü👋"_s.toUtf8() + "\"");
}

void tst_JsonWriter::utf8PassThroughIsEscapedToo()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    QByteArray out;
    appendJsonStringUtf8(out, input);
    QCOMPARE(out, expected);
    QByteArray doc;
    JsonWriter(doc).beginObject().key("k").utf8(input).endObject();
    const QJsonDocument parsed = QJsonDocument::fromJson(doc);
    QVERIFY(parsed.isObject());
    QCOMPARE(parsed.object().value(u"k"_s).toString(), QString::fromUtf8(input));
}

void tst_JsonWriter::everyControlCharacterRoundTrips()
{
    QString all;
    for (char16_t c = 0; c < 0x80; ++c)
        all.append(QChar(c));
    QByteArray doc;
    JsonWriter(doc).beginObject().field("s", all).endObject();
    for (char c : doc)
        QVERIFY2(static_cast<unsigned char>(c) >= 0x20, "raw control character in JSON");
    QJsonParseError err;
    const QJsonDocument parsed = QJsonDocument::fromJson(doc, &err);
    QCOMPARE(err.error, QJsonParseError::NoError);
    QCOMPARE(parsed.object().value(u"s"_s).toString(), all);
}

void tst_JsonWriter::commasAndNesting()
{
    QByteArray out;
    JsonWriter w(out);
    w.beginObject();
    w.field("id", qint64(9007199254740991LL));
    w.field("name", u"Ali \"Usta\""_s);
    w.key("tags").beginArray().value(u"a"_s).value(1).value(true).null().endArray();
    w.key("nested").beginObject().key("inner").beginObject().field("x", -1).endObject()
        .field("y", false).endObject();
    w.key("list").beginArray().beginObject().field("a", 1).endObject().beginObject()
        .field("a", 2).endObject().endArray();
    w.field("last", 0);
    w.endObject();

    QCOMPARE(out, QByteArray(R"({"id":9007199254740991,"name":"Ali \"Usta\"","tags":["a",1,true,null],)"
                             R"("nested":{"inner":{"x":-1},"y":false},"list":[{"a":1},{"a":2}],"last":0})"));
    QJsonParseError err;
    const QJsonObject o = QJsonDocument::fromJson(out, &err).object();
    QCOMPARE(err.error, QJsonParseError::NoError);
    QCOMPARE(o.value(u"id"_s).toInteger(), 9007199254740991LL);
    QCOMPARE(o.value(u"name"_s).toString(), u"Ali \"Usta\""_s);
    QCOMPARE(o.value(u"tags"_s).toArray().size(), 4);
    QVERIFY(o.value(u"tags"_s).toArray().at(3).isNull());
    QCOMPARE(o.value(u"nested"_s).toObject().value(u"inner"_s).toObject().value(u"x"_s).toInt(), -1);
    QCOMPARE(o.value(u"list"_s).toArray().at(1).toObject().value(u"a"_s).toInt(), 2);
    QCOMPARE(o.value(u"last"_s).toInt(), 0);
}

void tst_JsonWriter::emptyContainers()
{
    QByteArray out;
    JsonWriter(out).beginArray().beginObject().endObject().beginArray().endArray()
        .beginObject().endObject().endArray();
    QCOMPARE(out, QByteArray("[{},[],{}]"));
    QVERIFY(QJsonDocument::fromJson(out).isArray());
}

void tst_JsonWriter::integersAndBooleans()
{
    QByteArray out;
    JsonWriter(out).beginArray().value(qint64(0)).value(qint64(-42))
        .value(std::numeric_limits<qint64>::max()).value(std::numeric_limits<qint64>::min())
        .value(true).value(false).endArray();
    QCOMPARE(out, QByteArray("[0,-42,9223372036854775807,-9223372036854775808,true,false]"));
}

void tst_JsonWriter::rawAndNull()
{
    QByteArray out;
    JsonWriter(out).beginObject().key("m").raw(R"({"id":1})").key("n").null()
        .key("a").raw("[1,2]").endObject();
    QCOMPARE(out, QByteArray(R"({"m":{"id":1},"n":null,"a":[1,2]})"));
    QVERIFY(QJsonDocument::fromJson(out).isObject());
}

void tst_JsonWriter::appendsToExistingBytes()
{
    QByteArray out("prefix:");
    appendJsonString(out, u"x"_s);
    QCOMPARE(out, QByteArray("prefix:\"x\""));
}

QTEST_APPLESS_MAIN(tst_JsonWriter)
#include "tst_json_writer.moc"
