// json_input: what clients send is read as RFC 8259 JSON, strictly (raw
// control characters, unknown escapes, lone surrogates, bad numbers and
// duplicate keys refused), and arrives as sent, byte order marks included.

#include "protocol/json_input.h"
#include "protocol/json_syntax.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QtTest>

using namespace sanayicin;
using namespace Qt::StringLiterals;

namespace {

// {"a":"<inner>"} with `inner` as raw bytes.
QByteArray withString(const QByteArray &inner)
{
    return "{\"a\":\"" + inner + "\"}";
}

std::optional<QJsonDocument> parse(const QByteArray &json, QString *errorOut = nullptr)
{
    QString error;
    auto doc = parseClientJson(json, error);
    if (errorOut)
        *errorOut = error;
    return doc;
}

} // namespace

class tst_JsonInput : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void stringsKeepByteOrderMarks_data();
    void stringsKeepByteOrderMarks();
    void markOutsideStrings();
    void rawControlCharactersRefused_data();
    void rawControlCharactersRefused();
    void charactersAccepted_data();
    void charactersAccepted();
    void surrogateEscapes_data();
    void surrogateEscapes();
    void grammar_data();
    void grammar();
    void duplicateKeys_data();
    void duplicateKeys();
    void depth();
    void scalarsAreValidButNotDocuments();
    void everyTruncationRefused();
    void problemNamesTheByte();
};

void tst_JsonInput::stringsKeepByteOrderMarks_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("body");
    const QByteArray bom("\xEF\xBB\xBF");
    QTest::newRow("plain") << QByteArray(R"({"body":"merhaba"})") << u"merhaba"_s;
    // Qt alone drops the first two (the string's first character).
    QTest::newRow("only a mark") << QByteArray("{\"body\":\"" + bom + "\"}") << u"\ufeff"_s;
    QTest::newRow("mark first") << QByteArray("{\"body\":\"" + bom + "usta\"}") << u"\ufeffusta"_s;
    QTest::newRow("mark inside") << QByteArray("{\"body\":\"us" + bom + "ta\"}") << u"us\ufeffta"_s;
    QTest::newRow("two marks") << QByteArray("{\"body\":\"" + bom + bom + "\"}") << u"\ufeff\ufeff"_s;
    QTest::newRow("escaped") << QByteArray(R"({"body":"\ufeff"})") << u"\ufeff"_s;
    QTest::newRow("document mark skipped") << QByteArray(bom + R"({"body":"a"})") << u"a"_s;
    QTest::newRow("document mark and one in a string")
        << QByteArray(bom + "{\"body\":\"" + bom + "\"}") << u"\ufeff"_s;
}

void tst_JsonInput::stringsKeepByteOrderMarks()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, body);
    QString error;
    const auto doc = parse(json, &error);
    QVERIFY2(doc, qPrintable(error));
    QCOMPARE(doc->object().value(u"body"_s).toString(), body);
}

void tst_JsonInput::markOutsideStrings()
{
    QVERIFY(!parse(QByteArray("{\"a\":1,\xEF\xBB\xBF\"b\":2}")));
    QVERIFY(!parse(QByteArray("\xEF\xBB\xBF\xEF\xBB\xBF{}")));
    QVERIFY(!parse(QByteArray("{}\xEF\xBB\xBF")));
}

void tst_JsonInput::rawControlCharactersRefused_data()
{
    QTest::addColumn<QByteArray>("json");
    for (int c = 0; c < 0x20; ++c) {
        const QByteArray raw(1, char(c));
        QTest::addRow("U+%04X in a value", c) << withString("x" + raw + "y");
        QTest::addRow("U+%04X alone", c) << withString(raw);
        QTest::addRow("U+%04X in a key", c) << QByteArray("{\"k" + raw + "\":1}");
        QTest::addRow("U+%04X after a backslash", c) << withString("\\" + raw);
        // Outside strings only tab, LF and CR are white space.
        if (c != '\t' && c != '\n' && c != '\r')
            QTest::addRow("U+%04X between tokens", c) << QByteArray("{\"a\":" + raw + "1}");
    }
}

void tst_JsonInput::rawControlCharactersRefused()
{
    QFETCH(QByteArray, json);
    QString error;
    QVERIFY(!parse(json, &error));
    QVERIFY(!error.isEmpty());
}

void tst_JsonInput::charactersAccepted_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("value");
    for (int c = 0; c < 0x20; ++c)
        QTest::addRow("\\u%04x", c) << withString(QByteArray("\\u00") + QByteArray::number(c, 16).rightJustified(2, '0'))
                                    << QString(QChar(char16_t(c)));
    QTest::newRow("\\b\\f\\n\\r\\t") << withString(R"(\b\f\n\r\t)") << u"\b\f\n\r\t"_s;
    QTest::newRow("\\\" \\\\ \\/") << withString(R"(\"\\\/)") << u"\"\\/"_s;
    QTest::newRow("white space between tokens")
        << QByteArray(" \t\r\n{ \t\r\n\"a\" \t\r\n: \t\r\n\"x\" \t\r\n} \t\r\n") << u"x"_s;
    QTest::newRow("U+007F raw") << withString("\x7f") << u"\x7f"_s;
    QTest::newRow("U+0080 raw") << withString("\xC2\x80") << u"\u0080"_s;
    QTest::newRow("U+FEFF raw") << withString("\xEF\xBB\xBF") << u"\ufeff"_s;
    QTest::newRow("U+FEFF escaped") << withString("\\uFEFF") << u"\ufeff"_s;
    QTest::newRow("U+2028 raw") << withString("\xE2\x80\xA8") << u"\u2028"_s;
    QTest::newRow("U+FFFF raw") << withString("\xEF\xBF\xBF") << u"\uffff"_s;
    QTest::newRow("U+10FFFF raw") << withString("\xF4\x8F\xBF\xBF") << u"\U0010FFFF"_s;
    QTest::newRow("Turkish") << withString("I\xC5\x9F\xC4\xB1k") << u"Işık"_s;
    QTest::newRow("emoji raw") << withString("\xF0\x9F\x98\x80") << u"😀"_s;
    QTest::newRow("\\u0000 (refused later, by field)") << withString("\\u0000") << QString(QChar(u'\0'));
}

void tst_JsonInput::charactersAccepted()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, value);
    QString error;
    const auto doc = parse(json, &error);
    QVERIFY2(doc, qPrintable(error));
    QCOMPARE(doc->object().value(u"a"_s).toString(), value);
}

void tst_JsonInput::surrogateEscapes_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("valid");
    QTest::newRow("pair") << withString(R"(\ud83d\ude00)") << true;
    QTest::newRow("pair upper case") << withString(R"(\uD83D\uDE00)") << true;
    QTest::newRow("first pair") << withString(R"(\ud800\udc00)") << true;
    QTest::newRow("last pair") << withString(R"(\udbff\udfff)") << true;
    QTest::newRow("pair in a key") << QByteArray(R"({"\ud83d\ude00":1})") << true;
    QTest::newRow("just below") << withString(R"(\ud7ff)") << true;
    QTest::newRow("just above") << withString(R"(\ue000)") << true;
    QTest::newRow("lone high") << withString(R"(\ud800)") << false;
    QTest::newRow("lone high last of many") << withString(R"(abc\udbff)") << false;
    QTest::newRow("high then letter") << withString(R"(\ud800x)") << false;
    QTest::newRow("high then raw low") << withString("\\ud800\xED\xB0\x80") << false;
    QTest::newRow("high then BMP escape") << withString(R"(\ud800\u0041)") << false;
    QTest::newRow("high then high") << withString(R"(\ud800\ud800)") << false;
    QTest::newRow("high then other escape") << withString(R"(\ud800\n)") << false;
    QTest::newRow("high then truncated escape") << withString(R"(\ud800\udc)") << false;
    QTest::newRow("lone low") << withString(R"(\udc00)") << false;
    QTest::newRow("lone low last") << withString(R"(\udfff)") << false;
    QTest::newRow("reversed pair") << withString(R"(\ude00\ud83d)") << false;
    QTest::newRow("lone high in a key") << QByteArray(R"({"\ud800":1})") << false;
    QTest::newRow("lone high in an array") << QByteArray(R"({"a":["\ud800"]})") << false;
    QTest::newRow("raw surrogate bytes") << withString("\xED\xA0\x80") << false;
}

void tst_JsonInput::surrogateEscapes()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, valid);
    QString error;
    const auto doc = parse(json, &error);
    QCOMPARE(bool(doc), valid);
    if (!valid)
        QVERIFY(!error.isEmpty());
}

void tst_JsonInput::grammar_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("valid");
    QTest::newRow("empty object") << QByteArray("{}") << true;
    QTest::newRow("empty array") << QByteArray("[]") << true;
    QTest::newRow("nested") << QByteArray(R"({"a":[1,{"b":null},true,false,"x",-0.5e+3]})") << true;
    QTest::newRow("zero") << QByteArray(R"({"a":0})") << true;
    QTest::newRow("negative zero") << QByteArray(R"({"a":-0})") << true;
    QTest::newRow("exponent") << QByteArray(R"({"a":1E5})") << true;
    QTest::newRow("fraction and exponent") << QByteArray(R"({"a":1.25e-2})") << true;
    QTest::newRow("2^63") << QByteArray(R"({"a":9223372036854775808})") << true;
    QTest::newRow("2^64-1") << QByteArray(R"({"a":18446744073709551615})") << true;
    QTest::newRow("empty") << QByteArray() << false;
    QTest::newRow("only space") << QByteArray(" ") << false;
    QTest::newRow("leading dot") << QByteArray(R"({"a":.5})") << false;
    QTest::newRow("trailing dot") << QByteArray(R"({"a":1.})") << false;
    QTest::newRow("leading zero") << QByteArray(R"({"a":01})") << false;
    QTest::newRow("plus sign") << QByteArray(R"({"a":+1})") << false;
    QTest::newRow("lone minus") << QByteArray(R"({"a":-})") << false;
    QTest::newRow("empty exponent") << QByteArray(R"({"a":1e})") << false;
    QTest::newRow("signed empty exponent") << QByteArray(R"({"a":1e+})") << false;
    QTest::newRow("hex") << QByteArray(R"({"a":0x10})") << false;
    QTest::newRow("Infinity") << QByteArray(R"({"a":Infinity})") << false;
    QTest::newRow("NaN") << QByteArray(R"({"a":NaN})") << false;
    QTest::newRow("beyond a double") << QByteArray(R"({"a":1e400})") << false;
    QTest::newRow("tru") << QByteArray(R"({"a":tru})") << false;
    QTest::newRow("True") << QByteArray(R"({"a":True})") << false;
    QTest::newRow("nulls") << QByteArray(R"({"a":nulls})") << false;
    QTest::newRow("unknown escape") << withString(R"(\x)") << false;
    QTest::newRow("escaped apostrophe") << withString(R"(\')") << false;
    QTest::newRow("short \\u") << withString(R"(\u12)") << false;
    QTest::newRow("bad hex") << withString(R"(\u12G4)") << false;
    QTest::newRow("single quotes") << QByteArray(R"({'a':1})") << false;
    QTest::newRow("bare key") << QByteArray(R"({a:1})") << false;
    QTest::newRow("trailing comma object") << QByteArray(R"({"a":1,})") << false;
    QTest::newRow("trailing comma array") << QByteArray(R"({"a":[1,]})") << false;
    QTest::newRow("missing colon") << QByteArray(R"({"a" 1})") << false;
    QTest::newRow("two values") << QByteArray(R"({} {})") << false;
    QTest::newRow("comment") << QByteArray(R"({"a":1}//)") << false;
    QTest::newRow("form feed is not white space") << QByteArray("{\"a\":1}\f") << false;
    QTest::newRow("vertical tab") << QByteArray("{\"a\":1}\v") << false;
    QTest::newRow("NBSP outside") << QByteArray("{\"a\":1}\xC2\xA0") << false;
    QTest::newRow("NUL after the text") << QByteArray("{\"a\":1}\0", 8) << false;
    QTest::newRow("unterminated string") << QByteArray(R"({"a":"x)") << false;
    QTest::newRow("overlong UTF-8") << withString("\xC0\xAF") << false;
    QTest::newRow("overlong 3 bytes") << withString("\xE0\x80\xAF") << false;
    QTest::newRow("above U+10FFFF") << withString("\xF4\x90\x80\x80") << false;
    QTest::newRow("lone continuation") << withString("\x80") << false;
    QTest::newRow("truncated sequence") << withString("\xE2\x82") << false;
    QTest::newRow("sequence cut by quote") << QByteArray("{\"a\":\"\xE2\"}") << false;
    QTest::newRow("0xFF") << withString("\xFF") << false;
}

void tst_JsonInput::grammar()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, valid);
    QString error;
    const auto doc = parse(json, &error);
    QVERIFY2(bool(doc) == valid, qPrintable(error));
    QCOMPARE(error.isEmpty(), valid);
}

void tst_JsonInput::duplicateKeys_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("valid");
    QTest::newRow("distinct") << QByteArray(R"({"a":1,"b":2})") << true;
    QTest::newRow("same key in two objects") << QByteArray(R"({"a":{"a":1},"b":[{"a":2},{"a":3}]})")
                                            << true;
    QTest::newRow("top level") << QByteArray(R"({"body":"a","body":"b"})") << false;
    QTest::newRow("same value") << QByteArray(R"({"a":1,"a":1})") << false;
    QTest::newRow("escaped spelling") << QByteArray(R"({"a":1,"\u0061":2})") << false;
    QTest::newRow("nested") << QByteArray(R"({"x":{"a":1,"a":2}})") << false;
    QTest::newRow("in an array") << QByteArray(R"([{"a":1},{"b":1,"b":2}])") << false;
}

void tst_JsonInput::duplicateKeys()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, valid);
    QCOMPARE(bool(parse(json)), valid);
}

void tst_JsonInput::depth()
{
    const int max = kClientJsonMaxDepth;
    QVERIFY(parse(QByteArray(max, '[') + QByteArray(max, ']')));
    QVERIFY(!parse(QByteArray(max + 1, '[') + QByteArray(max + 1, ']')));
    QByteArray objects;
    for (int i = 0; i < max; ++i)
        objects += "{\"a\":";
    QVERIFY(parse(objects + "1" + QByteArray(max, '}')));
    // Deep input is refused without recursing into it.
    QVERIFY(!parse(QByteArray(1'000'000, '[')));
}

void tst_JsonInput::scalarsAreValidButNotDocuments()
{
    for (const char *text : {"1", "\"x\"", "null", "true", " -2.5e3 "}) {
        const auto doc = parse(QByteArray(text));
        QVERIFY2(doc, text);
        QVERIFY(!doc->isObject() && !doc->isArray());
    }
    QVERIFY(!parse(QByteArray("\"\\ud800\"")));
}

void tst_JsonInput::everyTruncationRefused()
{
    const QByteArray full = "{\"type\":\"send\",\"conversation_id\":7,\"client_msg_id\":\"m\\u00e7\","
                            "\"body\":\"I\xC5\x9F\xC4\xB1k \xF0\x9F\x98\x80 \\ud83d\\ude00\",\"x\":[1.5e3,true,null]}";
    QVERIFY(parse(full));
    for (qsizetype n = 0; n < full.size(); ++n)
        QVERIFY2(!parse(full.left(n)), qPrintable(QString::number(n)));
}

void tst_JsonInput::problemNamesTheByte()
{
    const JsonSyntax s = checkJsonSyntax(withString("ab\x01"));
    QVERIFY(!s.ok);
    QVERIFY2(s.problem.contains(u"control character"_s), qPrintable(s.problem));
    QVERIFY2(s.problem.endsWith(u"byte 8"_s), qPrintable(s.problem));
    const JsonSyntax lone = checkJsonSyntax(withString("ab\\udc00"));
    QVERIFY2(lone.problem.contains(u"surrogate"_s), qPrintable(lone.problem));
    QVERIFY2(lone.problem.endsWith(u"byte 8"_s), qPrintable(lone.problem));
}

QTEST_APPLESS_MAIN(tst_JsonInput)
#include "tst_json_input.moc"
