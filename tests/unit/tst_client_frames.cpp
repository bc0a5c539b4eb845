// parseClientFrame: every WebSocket frame a client sends, valid and invalid
// (spec "Client to server" and "Every frame is a JSON text frame ...").

#include "protocol/client_frames.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace sanayicin;
using namespace Qt::StringLiterals;

namespace {

// Index of each alternative of ClientFrame, for data rows.
enum Kind { Error = 0, Auth, Send, Typing, Read, Sync, Ping };

QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray sendFrame(const QString &clientMsgId, const QString &body, qint64 conversation = 7)
{
    return json({{u"type"_s, u"send"_s},
                 {u"conversation_id"_s, conversation},
                 {u"client_msg_id"_s, clientMsgId},
                 {u"body"_s, body}});
}

} // namespace

class tst_ClientFrames : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void kinds_data();
    void kinds();
    void sendFields();
    void sendClientMsgId_data();
    void sendClientMsgId();
    void sendBody_data();
    void sendBody();
    void refPresentExactlyWhenClientMsgIdIsAString_data();
    void refPresentExactlyWhenClientMsgIdIsAString();
    void ids_data();
    void ids();
    void typingAndRead();
    void sync_data();
    void sync();
    void pingEchoesTs_data();
    void pingEchoesTs();
    void auth();
    void sharedCheckers();
};

void tst_ClientFrames::kinds_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<int>("kind");

    QTest::newRow("not JSON") << QByteArray("{type: send}") << int(Error);
    QTest::newRow("truncated") << QByteArray(R"({"type":"ping")") << int(Error);
    QTest::newRow("empty") << QByteArray() << int(Error);
    QTest::newRow("trailing garbage") << QByteArray(R"({"type":"ping"} x)") << int(Error);
    QTest::newRow("array") << QByteArray(R"([{"type":"ping"}])") << int(Error);
    QTest::newRow("string") << QByteArray(R"("ping")") << int(Error);
    QTest::newRow("number") << QByteArray("5") << int(Error);
    QTest::newRow("null") << QByteArray("null") << int(Error);
    QTest::newRow("no type") << QByteArray(R"({"ts":1})") << int(Error);
    QTest::newRow("type null") << QByteArray(R"({"type":null})") << int(Error);
    QTest::newRow("type number") << QByteArray(R"({"type":1})") << int(Error);
    QTest::newRow("type array") << QByteArray(R"({"type":["ping"]})") << int(Error);
    QTest::newRow("unknown type") << QByteArray(R"({"type":"shout"})") << int(Error);
    QTest::newRow("type case matters") << QByteArray(R"({"type":"PING"})") << int(Error);
    QTest::newRow("hello is server-only") << QByteArray(R"({"type":"hello"})") << int(Error);
    // RFC 8259: raw control characters in strings are not JSON; escaped they are.
    for (int c = 0; c < 0x20; ++c) {
        const QByteArray raw(1, char(c));
        QTest::addRow("raw U+%04X in body", c)
            << QByteArray(R"({"type":"send","conversation_id":1,"client_msg_id":"a","body":"x)" + raw
                          + "\"}")
            << int(Error);
        QTest::addRow("escaped U+%04X in body", c)
            << QByteArray(R"({"type":"send","conversation_id":1,"client_msg_id":"a","body":"x\u00)"
                          + QByteArray::number(c, 16).rightJustified(2, '0') + "\"}")
            << int(c == 0 ? Error : Send); // U+0000 is refused in every field
    }
    QTest::newRow("raw U+0001 in client_msg_id")
        << QByteArray("{\"type\":\"send\",\"conversation_id\":1,\"client_msg_id\":\"a\x01\",\"body\":\"x\"}")
        << int(Error);
    QTest::newRow("raw U+001F in type") << QByteArray("{\"type\":\"ping\x1f\"}") << int(Error);
    QTest::newRow("raw U+007F in body")
        << QByteArray("{\"type\":\"send\",\"conversation_id\":1,\"client_msg_id\":\"a\",\"body\":\"\x7f\"}")
        << int(Send);
    // I-JSON: a lone surrogate escape is not a character; UTF-8 cannot store it.
    QTest::newRow("body ends in a lone high surrogate")
        << QByteArray(R"({"type":"send","conversation_id":1,"client_msg_id":"a","body":"x\ud800"})")
        << int(Error);
    QTest::newRow("body is a lone low surrogate")
        << QByteArray(R"({"type":"send","conversation_id":1,"client_msg_id":"a","body":"\udc00"})")
        << int(Error);
    QTest::newRow("client_msg_id with a lone surrogate")
        << QByteArray(R"({"type":"send","conversation_id":1,"client_msg_id":"\ud800","body":"x"})")
        << int(Error);
    QTest::newRow("surrogate pair in body")
        << QByteArray(R"({"type":"send","conversation_id":1,"client_msg_id":"a","body":"\ud83d\ude00"})")
        << int(Send);
    QTest::newRow("duplicate body") << QByteArray(
        R"({"type":"send","conversation_id":1,"client_msg_id":"a","body":"x","body":"y"})")
                                    << int(Error);

    QTest::newRow("auth") << QByteArray(R"({"type":"auth","token":"abc"})") << int(Auth);
    QTest::newRow("send") << sendFrame(u"m1"_s, u"selam"_s) << int(Send);
    QTest::newRow("typing") << QByteArray(R"({"type":"typing","conversation_id":3})") << int(Typing);
    QTest::newRow("read") << QByteArray(R"({"type":"read","conversation_id":3,"message_id":9})")
                          << int(Read);
    QTest::newRow("sync") << QByteArray(R"({"type":"sync"})") << int(Sync);
    QTest::newRow("ping") << QByteArray(R"({"type":"ping"})") << int(Ping);
    QTest::newRow("unknown extra fields ignored")
        << QByteArray(R"({"type":"ping","extra":{"a":1}})") << int(Ping);

    QTest::newRow("auth without token") << QByteArray(R"({"type":"auth"})") << int(Error);
    QTest::newRow("auth token number") << QByteArray(R"({"type":"auth","token":5})") << int(Error);
    QTest::newRow("send body number")
        << QByteArray(R"({"type":"send","conversation_id":1,"client_msg_id":"a","body":5})")
        << int(Error);
    QTest::newRow("send client_msg_id number")
        << QByteArray(R"({"type":"send","conversation_id":1,"client_msg_id":5,"body":"x"})")
        << int(Error);
    QTest::newRow("send body missing")
        << QByteArray(R"({"type":"send","conversation_id":1,"client_msg_id":"a"})") << int(Error);
    QTest::newRow("send client_msg_id missing")
        << QByteArray(R"({"type":"send","conversation_id":1,"body":"x"})") << int(Error);
    QTest::newRow("send conversation_id missing")
        << QByteArray(R"({"type":"send","client_msg_id":"a","body":"x"})") << int(Error);
    QTest::newRow("send body null")
        << QByteArray(R"({"type":"send","conversation_id":1,"client_msg_id":"a","body":null})")
        << int(Error);
    QTest::newRow("send body object")
        << QByteArray(R"({"type":"send","conversation_id":1,"client_msg_id":"a","body":{}})")
        << int(Error);
    QTest::newRow("typing conversation_id string")
        << QByteArray(R"({"type":"typing","conversation_id":"3"})") << int(Error);
    QTest::newRow("typing without conversation_id") << QByteArray(R"({"type":"typing"})")
                                                    << int(Error);
    QTest::newRow("read without message_id")
        << QByteArray(R"({"type":"read","conversation_id":3})") << int(Error);
    QTest::newRow("read message_id bool")
        << QByteArray(R"({"type":"read","conversation_id":3,"message_id":true})") << int(Error);
    QTest::newRow("sync after_id string") << QByteArray(R"({"type":"sync","after_id":"5"})")
                                          << int(Error);
    QTest::newRow("sync limit string") << QByteArray(R"({"type":"sync","limit":"5"})")
                                       << int(Error);
}

void tst_ClientFrames::kinds()
{
    QFETCH(QByteArray, frame);
    QFETCH(int, kind);
    const ClientFrame parsed = parseClientFrame(frame);
    QCOMPARE(int(parsed.index()), kind);
    if (kind == Error)
        QVERIFY(!std::get<FrameError>(parsed).message.isEmpty());
}

void tst_ClientFrames::sendFields()
{
    const ClientFrame parsed = parseClientFrame(sendFrame(u"abc-1"_s, u"Merhaba usta 👋"_s, 42));
    QVERIFY(std::holds_alternative<SendFrame>(parsed));
    const auto &s = std::get<SendFrame>(parsed);
    QCOMPARE(s.conversationId, 42);
    QCOMPARE(s.clientMsgId, u"abc-1"_s);
    QCOMPARE(s.body, u"Merhaba usta 👋"_s);

    // Escapes in the JSON reach the body decoded, and nothing is normalised.
    const ClientFrame esc = parseClientFrame(
        R"({"type":"send","conversation_id":1,"client_msg_id":"x","body":"a\n\"b\"\ud83d\udc4b I\u0307"})");
    QVERIFY(std::holds_alternative<SendFrame>(esc));
    QCOMPARE(std::get<SendFrame>(esc).body, u"a\n\"b\"👋 I\u0307"_s);
}

void tst_ClientFrames::sendClientMsgId_data()
{
    QTest::addColumn<QString>("clientMsgId");
    QTest::addColumn<bool>("ok");
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("1 char") << u"a"_s << true;
    QTest::newRow("64 chars") << QString(64, u'x') << true;
    QTest::newRow("65 chars") << QString(65, u'x') << false;
    QTest::newRow("64 emoji (128 UTF-16 units)") << u"😀"_s.repeated(64) << true;
    QTest::newRow("65 emoji") << u"😀"_s.repeated(65) << false;
    QTest::newRow("63 chars + emoji") << (QString(63, u'x') + u"😀"_s) << true;
    QTest::newRow("64 chars + emoji") << (QString(64, u'x') + u"😀"_s) << false;
    QTest::newRow("uuid") << u"6f1c2b7e-3a4d-4e5f-9a0b-1c2d3e4f5a6b"_s << true;
    QTest::newRow("only spaces is allowed") << u"  "_s << true;
    QTest::newRow("U+0000") << (u"a"_s + QChar(0)) << false;
}

void tst_ClientFrames::sendClientMsgId()
{
    QFETCH(QString, clientMsgId);
    QFETCH(bool, ok);
    const ClientFrame parsed = parseClientFrame(sendFrame(clientMsgId, u"hi"_s));
    QCOMPARE(std::holds_alternative<SendFrame>(parsed), ok);
    if (ok)
        QCOMPARE(std::get<SendFrame>(parsed).clientMsgId, clientMsgId);
    else
        QVERIFY(std::get<FrameError>(parsed).message.contains(u"client_msg_id"_s));
}

void tst_ClientFrames::sendBody_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<bool>("ok");
    QTest::newRow("one letter") << u"a"_s << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("space") << u" "_s << false;
    QTest::newRow("tabs and newlines") << u"\t\n\r\n"_s << false;
    QTest::newRow("NBSP only") << u"\u00a0"_s << false;
    QTest::newRow("NBSP and spaces") << u" \u00a0 \u00a0"_s << false;
    QTest::newRow("EM SPACE and IDEOGRAPHIC SPACE") << u"\u2003\u3000"_s << false;
    QTest::newRow("zero-width space counts as text") << u"\u200b"_s << true;
    QTest::newRow("text among spaces") << u"  x  "_s << true;
    QTest::newRow("4000 chars") << QString(4000, u'a') << true;
    QTest::newRow("4001 chars") << QString(4001, u'a') << false;
    QTest::newRow("4000 emoji (8000 UTF-16 units)") << u"😀"_s.repeated(4000) << true;
    QTest::newRow("4001 emoji") << u"😀"_s.repeated(4001) << false;
    QTest::newRow("4000 spaces") << QString(4000, u' ') << false;
    QTest::newRow("U+0000 alone") << QString(QChar(0)) << false;
    QTest::newRow("U+0000 inside") << (u"ab"_s + QChar(0) + u"cd"_s) << false;
}

void tst_ClientFrames::sendBody()
{
    QFETCH(QString, body);
    QFETCH(bool, ok);
    const ClientFrame parsed = parseClientFrame(sendFrame(u"m"_s, body));
    QCOMPARE(std::holds_alternative<SendFrame>(parsed), ok);
    if (ok) {
        QCOMPARE(std::get<SendFrame>(parsed).body, body);
    } else {
        const auto &e = std::get<FrameError>(parsed);
        QVERIFY2(e.message.contains(u"body"_s), qPrintable(e.message));
        QVERIFY(e.hasRef);
        QCOMPARE(e.ref, u"m"_s);
    }
}

void tst_ClientFrames::refPresentExactlyWhenClientMsgIdIsAString_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<bool>("hasRef");
    QTest::addColumn<QString>("ref");
    QTest::newRow("not JSON") << QByteArray(R"({"client_msg_id":"a")") << false << QString();
    QTest::newRow("array") << QByteArray(R"(["client_msg_id"])") << false << QString();
    QTest::newRow("no type, string id")
        << QByteArray(R"({"client_msg_id":"c1"})") << true << u"c1"_s;
    QTest::newRow("unknown type, string id")
        << QByteArray(R"({"type":"x","client_msg_id":"c2"})") << true << u"c2"_s;
    QTest::newRow("unknown type, no id") << QByteArray(R"({"type":"x"})") << false << QString();
    QTest::newRow("send, empty body")
        << sendFrame(u"c3"_s, QString()) << true << u"c3"_s;
    QTest::newRow("send, 65-char id: ref is still echoed")
        << sendFrame(QString(65, u'z'), u"x"_s) << true << QString(65, u'z');
    QTest::newRow("send, empty id string")
        << sendFrame(QString(), u"x"_s) << true << QString();
    QTest::newRow("send, numeric id")
        << QByteArray(R"({"type":"send","conversation_id":1,"client_msg_id":5,"body":"x"})")
        << false << QString();
    QTest::newRow("send, null id")
        << QByteArray(R"({"type":"send","conversation_id":1,"client_msg_id":null,"body":"x"})")
        << false << QString();
    QTest::newRow("send, object id")
        << QByteArray(R"({"type":"send","conversation_id":1,"client_msg_id":{"a":"b"},"body":"x"})")
        << false << QString();
    QTest::newRow("send, bad conversation, string id")
        << QByteArray(R"({"type":"send","conversation_id":"1","client_msg_id":"c4","body":"x"})")
        << true << u"c4"_s;
    QTest::newRow("typing with a string client_msg_id")
        << QByteArray(R"({"type":"typing","client_msg_id":"c5"})") << true << u"c5"_s;
    QTest::newRow("emoji id") << QByteArray(R"({"type":"nope","client_msg_id":"\ud83d\ude00"})")
                              << true << u"😀"_s;
}

void tst_ClientFrames::refPresentExactlyWhenClientMsgIdIsAString()
{
    QFETCH(QByteArray, frame);
    QFETCH(bool, hasRef);
    QFETCH(QString, ref);
    const ClientFrame parsed = parseClientFrame(frame);
    QVERIFY(std::holds_alternative<FrameError>(parsed));
    const auto &e = std::get<FrameError>(parsed);
    QCOMPARE(e.hasRef, hasRef);
    QCOMPARE(e.ref, ref);
}

void tst_ClientFrames::ids_data()
{
    QTest::addColumn<QByteArray>("idJson");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<qint64>("value");
    QTest::newRow("1") << QByteArray("1") << true << qint64(1);
    QTest::newRow("5") << QByteArray("5") << true << qint64(5);
    QTest::newRow("5.0 is a whole number") << QByteArray("5.0") << true << qint64(5);
    QTest::newRow("5e2") << QByteArray("5e2") << true << qint64(500);
    QTest::newRow("2^53-1") << QByteArray("9007199254740991") << true << qint64(9007199254740991LL);
    // Ids are 64-bit (spec "Conventions"): exact beyond 2^53.
    QTest::newRow("2^53") << QByteArray("9007199254740992") << true << qint64(9007199254740992LL);
    QTest::newRow("2^53+1") << QByteArray("9007199254740993") << true << qint64(9007199254740993LL);
    QTest::newRow("2^63-1") << QByteArray("9223372036854775807") << true
                            << qint64(9223372036854775807LL);
    QTest::newRow("2^63") << QByteArray("9223372036854775808") << false << qint64(0);
    QTest::newRow("1e300") << QByteArray("1e300") << false << qint64(0);
    QTest::newRow("0") << QByteArray("0") << false << qint64(0);
    QTest::newRow("-1") << QByteArray("-1") << false << qint64(0);
    QTest::newRow("-0") << QByteArray("-0") << false << qint64(0);
    QTest::newRow("1.5") << QByteArray("1.5") << false << qint64(0);
    QTest::newRow("0.5") << QByteArray("0.5") << false << qint64(0);
    QTest::newRow("\"5\"") << QByteArray("\"5\"") << false << qint64(0);
    QTest::newRow("true") << QByteArray("true") << false << qint64(0);
    QTest::newRow("null") << QByteArray("null") << false << qint64(0);
    QTest::newRow("array") << QByteArray("[5]") << false << qint64(0);
    QTest::newRow("object") << QByteArray("{}") << false << qint64(0);
}

void tst_ClientFrames::ids()
{
    QFETCH(QByteArray, idJson);
    QFETCH(bool, ok);
    QFETCH(qint64, value);

    // The same rule for every id field of every frame.
    const QList<QByteArray> frames = {
        R"({"type":"send","conversation_id":@,"client_msg_id":"c","body":"b"})",
        R"({"type":"typing","conversation_id":@})",
        R"({"type":"read","conversation_id":@,"message_id":1})",
        R"({"type":"read","conversation_id":1,"message_id":@})",
    };
    for (QByteArray f : frames) {
        f.replace('@', idJson);
        const ClientFrame parsed = parseClientFrame(f);
        QVERIFY2(std::holds_alternative<FrameError>(parsed) != ok, f.constData());
        if (!ok)
            continue;
        if (const auto *s = std::get_if<SendFrame>(&parsed))
            QCOMPARE(s->conversationId, value);
        else if (const auto *t = std::get_if<TypingFrame>(&parsed))
            QCOMPARE(t->conversationId, value);
        else if (const auto *r = std::get_if<ReadFrame>(&parsed))
            QCOMPARE(r->conversationId == 1 ? r->messageId : r->conversationId, value);
        else
            QFAIL(f.constData());
    }
}

void tst_ClientFrames::typingAndRead()
{
    const ClientFrame t = parseClientFrame(R"({"type":"typing","conversation_id":12})");
    QCOMPARE(std::get<TypingFrame>(t).conversationId, 12);
    const ClientFrame r =
        parseClientFrame(R"({"type":"read","conversation_id":12,"message_id":345})");
    QCOMPARE(std::get<ReadFrame>(r).conversationId, 12);
    QCOMPARE(std::get<ReadFrame>(r).messageId, 345);
}

void tst_ClientFrames::sync_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<qint64>("afterId");
    QTest::addColumn<int>("limit");
    QTest::newRow("defaults") << QByteArray(R"({"type":"sync"})") << true << qint64(0) << 500;
    QTest::newRow("null fields take defaults")
        << QByteArray(R"({"type":"sync","after_id":null,"limit":null})") << true << qint64(0)
        << 500;
    QTest::newRow("after_id 0") << QByteArray(R"({"type":"sync","after_id":0})") << true
                                << qint64(0) << 500;
    QTest::newRow("after_id and limit")
        << QByteArray(R"({"type":"sync","after_id":1234,"limit":10})") << true << qint64(1234)
        << 10;
    QTest::newRow("limit at max") << QByteArray(R"({"type":"sync","limit":1000})") << true
                                  << qint64(0) << 1000;
    QTest::newRow("limit clamped") << QByteArray(R"({"type":"sync","limit":1001})") << true
                                   << qint64(0) << 1000;
    QTest::newRow("limit far above max clamped")
        << QByteArray(R"({"type":"sync","limit":5000000})") << true << qint64(0) << 1000;
    QTest::newRow("limit above 2^53 clamped, not refused")
        << QByteArray(R"({"type":"sync","limit":1e20})") << true << qint64(0) << 1000;
    QTest::newRow("negative limit") << QByteArray(R"({"type":"sync","limit":-1})") << false
                                    << qint64(0) << 0;
    QTest::newRow("negative after_id") << QByteArray(R"({"type":"sync","after_id":-5})") << false
                                       << qint64(0) << 0;
    QTest::newRow("fractional after_id") << QByteArray(R"({"type":"sync","after_id":1.5})")
                                         << false << qint64(0) << 0;
    QTest::newRow("string limit") << QByteArray(R"({"type":"sync","limit":"10"})") << false
                                  << qint64(0) << 0;
    QTest::newRow("bool after_id") << QByteArray(R"({"type":"sync","after_id":false})") << false
                                   << qint64(0) << 0;
}

void tst_ClientFrames::sync()
{
    QFETCH(QByteArray, frame);
    QFETCH(bool, ok);
    QFETCH(qint64, afterId);
    QFETCH(int, limit);
    const ClientFrame parsed = parseClientFrame(frame);
    QCOMPARE(std::holds_alternative<SyncFrame>(parsed), ok);
    if (!ok)
        return;
    QCOMPARE(std::get<SyncFrame>(parsed).afterId, afterId);
    QCOMPARE(std::get<SyncFrame>(parsed).limit, limit);
}

void tst_ClientFrames::pingEchoesTs_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<bool>("hasTs");
    QTest::addColumn<QByteArray>("tsJson");
    QTest::newRow("absent") << QByteArray(R"({"type":"ping"})") << false << QByteArray();
    QTest::newRow("integer") << QByteArray(R"({"type":"ping","ts":1732600000123})") << true
                             << QByteArray("1732600000123");
    QTest::newRow("zero") << QByteArray(R"({"type":"ping","ts":0})") << true << QByteArray("0");
    QTest::newRow("negative") << QByteArray(R"({"type":"ping","ts":-7})") << true
                              << QByteArray("-7");
    QTest::newRow("fraction") << QByteArray(R"({"type":"ping","ts":1.5})") << true
                              << QByteArray("1.5");
    QTest::newRow("string") << QByteArray(R"({"type":"ping","ts":"abc"})") << true
                            << QByteArray(R"("abc")");
    QTest::newRow("string with escapes") << QByteArray(R"({"type":"ping","ts":"a\"b\\c"})")
                                         << true << QByteArray(R"("a\"b\\c")");
    QTest::newRow("empty string") << QByteArray(R"({"type":"ping","ts":""})") << true
                                  << QByteArray(R"("")");
    QTest::newRow("object") << QByteArray(R"({"type":"ping","ts":{"a":1,"b":[true,null]}})")
                            << true << QByteArray(R"({"a":1,"b":[true,null]})");
    QTest::newRow("empty object") << QByteArray(R"({"type":"ping","ts":{}})") << true
                                  << QByteArray("{}");
    QTest::newRow("array") << QByteArray(R"({"type":"ping","ts":[1,"x"]})") << true
                           << QByteArray(R"([1,"x"])");
    QTest::newRow("true") << QByteArray(R"({"type":"ping","ts":true})") << true
                          << QByteArray("true");
    QTest::newRow("null") << QByteArray(R"({"type":"ping","ts":null})") << true
                          << QByteArray("null");
}

void tst_ClientFrames::pingEchoesTs()
{
    QFETCH(QByteArray, frame);
    QFETCH(bool, hasTs);
    QFETCH(QByteArray, tsJson);
    const ClientFrame parsed = parseClientFrame(frame);
    QVERIFY(std::holds_alternative<PingFrame>(parsed));
    const auto &p = std::get<PingFrame>(parsed);
    QCOMPARE(p.hasTs, hasTs);
    QCOMPARE(p.tsJson, tsJson);
    if (hasTs) {
        // What the server puts back parses to the same value the client sent.
        const QJsonObject sent = QJsonDocument::fromJson(frame).object();
        const QJsonDocument echoed = QJsonDocument::fromJson("[" + p.tsJson + "]");
        QVERIFY(echoed.isArray());
        QCOMPARE(echoed.array().at(0), sent.value(u"ts"_s));
    }
}

void tst_ClientFrames::auth()
{
    const ClientFrame a = parseClientFrame(R"({"type":"auth","token":"tok_EN-123"})");
    QCOMPARE(std::get<AuthFrame>(a).token, u"tok_EN-123"_s);
    QVERIFY(std::holds_alternative<FrameError>(parseClientFrame(R"({"type":"auth","token":null})")));
}

void tst_ClientFrames::sharedCheckers()
{
    QVERIFY(checkClientMsgId(u"a"_s).isEmpty());
    QVERIFY(!checkClientMsgId(QString()).isEmpty());
    QVERIFY(!checkClientMsgId(QString(65, u'a')).isEmpty());
    QVERIFY(checkMessageBody(u"x"_s).isEmpty());
    QVERIFY(!checkMessageBody(u"\u00a0\u3000"_s).isEmpty());
    QVERIFY(!checkMessageBody(u"😀"_s.repeated(4001)).isEmpty());
}

QTEST_APPLESS_MAIN(tst_ClientFrames)
#include "tst_client_frames.moc"
