// The WebSocket protocol against the real daemon: opening, frames, errors,
// close codes and limits (spec "WebSocket"), delivery, sync and isolation
// (spec "Guarantees").

#include "daemon_process.h"
#include "http_client.h"
#include "raw_ws.h"
#include "test_env.h"
#include "ws_client.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QSet>
#include <QThread>
#include <QtTest>

using namespace sanayicin::test;

namespace {

QString unique(const char *prefix)
{
    static int counter = 0;
    return QStringLiteral("%1_%2").arg(QLatin1StringView(prefix)).arg(++counter);
}

QString repeat(const QString &s, int n)
{
    QString out;
    for (int i = 0; i < n; ++i)
        out += s;
    return out;
}

QString typeOf(const QJsonObject &o)
{
    return o.value(QStringLiteral("type")).toString();
}

qint64 idOfMessageFrame(const QJsonObject &o)
{
    return o.value(QStringLiteral("message")).toObject().value(QStringLiteral("id")).toInteger();
}

// Syncs from after_id 0 page by page (limit 1000) until has_more is false.
// When `stallMs` > 0 the client stops reading for that long right after its
// first sync, the way a client on a slow network takes a big page.
struct SyncRun
{
    int messages = 0;
    int pages = 0;
    bool complete = false;
};
SyncRun syncEverything(WsClient &client, int stallMs = 0)
{
    SyncRun run;
    qint64 after = 0;
    for (;;) {
        client.send({{QStringLiteral("type"), QStringLiteral("sync")},
                     {QStringLiteral("after_id"), after},
                     {QStringLiteral("limit"), 1000}});
        if (stallMs > 0 && run.pages == 0) {
            client.socket().flush();   // the sync goes out now...
            QThread::msleep(stallMs); // ...and without the event loop nothing is read
        }
        const QJsonObject synced = client.nextOfType(QStringLiteral("synced"), 30000);
        if (synced.isEmpty())
            break;
        ++run.pages;
        after = synced.value(QStringLiteral("last_id")).toInteger();
        if (!synced.value(QStringLiteral("has_more")).toBool()) {
            run.complete = true;
            break;
        }
    }
    run.messages = int(client.received(QStringLiteral("message")).size());
    return run;
}

// A daemon of its own with a small outgoing limit and no send or frame rate limit.
bool startWithOutgoingLimit(DaemonProcess &daemon, const QString &dir, int limitBytes, QString &error)
{
    return daemon.start(freshDatabaseUrl(QStringLiteral("postgresql"), dir),
                        DaemonProcess::defaultArgs()
                            << QStringLiteral("--outgoing-limit") << QString::number(limitBytes)
                            << QStringLiteral("--send-rate") << QStringLiteral("100000")
                            << QStringLiteral("--send-burst") << QStringLiteral("100000")
                            << QStringLiteral("--frame-rate") << QStringLiteral("100000")
                            << QStringLiteral("--frame-burst") << QStringLiteral("100000"),
                        error);
}

QSet<QString> keysOf(const QJsonObject &o)
{
    const QStringList k = o.keys();
    return QSet<QString>(k.begin(), k.end());
}

QSet<QString> setOf(std::initializer_list<const char *> names)
{
    QSet<QString> out;
    for (const char *n : names)
        out.insert(QString::fromLatin1(n));
    return out;
}

} // namespace

class tst_WebSocket : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void helloByHeaderAndByFrame();
    void sendAckAndFanOut();
    void helloLastMessageId();
    void badTokenByHeader();
    void badTokenByFrame();
    void revokedToken();
    void framesBeforeAuth();
    void authTimeout();
    void badFramesKeepConnectionOpen();
    void binaryFrameCloses1003();
    void oversizedFrameCloses1009();
    void rawFraming();
    void sendValidation();
    void sendNotParticipant();
    void idempotentResend();
    void typingRelay();
    void typingRateLimit();
    void readFrames();
    void pingPong();
    void presence();
    void presenceForNewConversation();
    void syncAfterDrop();
    void syncPaging();
    void sendRateLimit();
    void slowReaderClosed1008();
    void bigSyncPageToReadingClient();
    void syncPageAboveOutgoingLimit();
    void manyAcksToReadingClient();
    void syncLimits();
    void syncAheadOfEveryIdKeepsLiveMessages();
    void helloIsAlwaysTheFirstFrame();
    void isolation();

private:
    struct Pair
    {
        HttpClient::Account a, b;
        qint64 conversation = 0;
    };
    Pair pair(const char *prefix) { return pair(*m_http, prefix); }
    static Pair pair(HttpClient &http, const char *prefix); // on another daemon
    QList<qint64> historyIds(const HttpClient::Account &who, qint64 conv);
    DaemonProcess &burstDaemon(); // default outgoing limit, no send limit

    DaemonProcess m_daemon;
    std::unique_ptr<HttpClient> m_http;
    QTemporaryDir m_dir;
    std::unique_ptr<DaemonProcess> m_burst;
};

void tst_WebSocket::initTestCase()
{
    QString error;
    // A short auth timeout so that authTimeout() need not wait 10 s.
    QVERIFY2(m_daemon.start(freshDatabaseUrl(QStringLiteral("postgresql"), m_dir.path()),
                            DaemonProcess::defaultArgs()
                                << QStringLiteral("--auth-timeout-ms") << QStringLiteral("1500"),
                            error),
             qPrintable(error));
    m_http = std::make_unique<HttpClient>(m_daemon.httpUrl(QString()));
}

void tst_WebSocket::cleanupTestCase()
{
    QCOMPARE(m_daemon.terminate(), 0);
    if (m_burst)
        QCOMPARE(m_burst->terminate(), 0);
}

tst_WebSocket::Pair tst_WebSocket::pair(HttpClient &http, const char *prefix)
{
    Pair p;
    p.a = http.registerUser(unique(prefix));
    p.b = http.registerUser(unique(prefix), QStringLiteral("tradesman"));
    p.conversation = http.conversation(p.a, p.b.id);
    // Both open it, so that both see it (and share presence) while empty.
    http.conversation(p.b, p.a.id);
    return p;
}

QList<qint64> tst_WebSocket::historyIds(const HttpClient::Account &who, qint64 conv)
{
    QList<qint64> out;
    const HttpResult r =
        m_http->get(QStringLiteral("/api/v1/conversations/%1/messages?limit=200").arg(conv), who.token);
    for (const QJsonValue v : r.json().value(QStringLiteral("items")).toArray())
        out << v.toObject().value(QStringLiteral("id")).toInteger();
    return out;
}

void tst_WebSocket::helloByHeaderAndByFrame()
{
    const auto alice = m_http->registerUser(QStringLiteral("hello_a"));
    WsClient byHeader;
    const QJsonObject hello = byHeader.connectAndHello(m_daemon.wsUrl(), alice.token);
    QCOMPARE(hello.value(QStringLiteral("type")).toString(), QStringLiteral("hello"));
    QCOMPARE(keysOf(hello), setOf({"type", "user", "instance", "heartbeat_s", "last_message_id"}));
    const QJsonObject user = hello.value(QStringLiteral("user")).toObject();
    QCOMPARE(keysOf(user), setOf({"id", "username", "display_name", "role", "created_at"}));
    QCOMPARE(user.value(QStringLiteral("id")).toInteger(), alice.id);
    QCOMPARE(user.value(QStringLiteral("username")).toString(), QStringLiteral("hello_a"));
    QCOMPARE(user.value(QStringLiteral("role")).toString(), QStringLiteral("customer"));
    QCOMPARE(hello.value(QStringLiteral("last_message_id")).toInteger(), 0);
    // An upgrade is normal operation: no warning per connection in the log
    // (QtHttpServer 6.4 writes one when the native WebSocket takes over).
    QVERIFY2(!m_daemon.log().contains("no slots connected"), m_daemon.log().right(2000).constData());
    QVERIFY(hello.value(QStringLiteral("heartbeat_s")).toInt() > 0);
    QVERIFY(!hello.value(QStringLiteral("instance")).toString().isEmpty());
    // hello is the first frame.
    QCOMPARE(typeOf(byHeader.all().first()), QStringLiteral("hello"));

    WsClient byFrame;
    const QJsonObject hello2 = byFrame.connectAndHello(m_daemon.wsUrl(), alice.token, true);
    QCOMPARE(hello2.value(QStringLiteral("type")).toString(), QStringLiteral("hello"));
    QCOMPARE(hello2.value(QStringLiteral("user")).toObject(), user);
}

void tst_WebSocket::sendAckAndFanOut()
{
    const auto a = m_http->registerUser(QStringLiteral("fan_a"));
    const auto b = m_http->registerUser(QStringLiteral("fan_b"), QStringLiteral("tradesman"));
    const qint64 conv = m_http->conversation(a, b.id);
    WsClient a1, a2, b1;
    QVERIFY(!a1.connectAndHello(m_daemon.wsUrl(), a.token).isEmpty());
    QVERIFY(!a2.connectAndHello(m_daemon.wsUrl(), a.token).isEmpty());
    QVERIFY(!b1.connectAndHello(m_daemon.wsUrl(), b.token).isEmpty());
    a1.send({{QStringLiteral("type"), QStringLiteral("send")},
             {QStringLiteral("conversation_id"), conv},
             {QStringLiteral("client_msg_id"), QStringLiteral("m1")},
             {QStringLiteral("body"), QStringLiteral("Selam 👋")}});
    const QJsonObject ack = a1.nextOfType(QStringLiteral("ack"));
    QCOMPARE(keysOf(ack), setOf({"type", "client_msg_id", "message"}));
    QCOMPARE(ack.value(QStringLiteral("client_msg_id")).toString(), QStringLiteral("m1"));
    const QJsonObject msg = ack.value(QStringLiteral("message")).toObject();
    QCOMPARE(keysOf(msg), setOf({"id", "conversation_id", "seq", "sender_id", "body", "client_msg_id", "created_at"}));
    QCOMPARE(msg.value(QStringLiteral("seq")).toInteger(), 1);
    QCOMPARE(msg.value(QStringLiteral("body")).toString(), QStringLiteral("Selam 👋"));
    QCOMPARE(msg.value(QStringLiteral("conversation_id")).toInteger(), conv);
    QCOMPARE(msg.value(QStringLiteral("sender_id")).toInteger(), a.id);
    QCOMPARE(msg.value(QStringLiteral("client_msg_id")).toString(), QStringLiteral("m1"));
    // The ack means committed: the history has it already.
    QCOMPARE(historyIds(b, conv), QList<qint64>{msg.value(QStringLiteral("id")).toInteger()});
    for (WsClient *c : {&a2, &b1}) {
        const QJsonObject m = c->nextOfType(QStringLiteral("message"));
        QCOMPARE(keysOf(m), setOf({"type", "message"}));
        QCOMPARE(m.value(QStringLiteral("message")).toObject(), msg);
    }
    // The sending connection gets the ack, never the message frame.
    QVERIFY(a1.roundTrip());
    QTest::qWait(200);
    QVERIFY(a1.received(QStringLiteral("message")).isEmpty());
}

void tst_WebSocket::helloLastMessageId()
{
    const Pair p = pair("lastid");
    const auto stranger = m_http->registerUser(unique("lastid"));
    WsClient a;
    QVERIFY(!a.connectAndHello(m_daemon.wsUrl(), p.a.token).isEmpty());
    const QJsonObject m1 = a.sendAndAck(p.conversation, QStringLiteral("l1"), QStringLiteral("bir"));
    const QJsonObject m2 = a.sendAndAck(p.conversation, QStringLiteral("l2"), QStringLiteral("iki"));
    QVERIFY(!m1.isEmpty() && !m2.isEmpty());
    WsClient b;
    QCOMPARE(b.connectAndHello(m_daemon.wsUrl(), p.b.token).value(QStringLiteral("last_message_id")).toInteger(),
             m2.value(QStringLiteral("id")).toInteger());
    // Only what the user may see: a stranger's hello says 0.
    WsClient s;
    QCOMPARE(s.connectAndHello(m_daemon.wsUrl(), stranger.token).value(QStringLiteral("last_message_id")).toInteger(),
             0);
}

void tst_WebSocket::badTokenByHeader()
{
    for (const QString &token : {QStringLiteral("garbage"), QStringLiteral("x").repeated(43), QStringLiteral("ä€😀")}) {
        WsClient ws;
        ws.open(m_daemon.wsUrl(), token); // may be closed already when it returns
        const QJsonObject error = ws.nextOfType(QStringLiteral("error"));
        QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("unauthorized"));
        QVERIFY(ws.waitClosed());
        QCOMPARE(ws.closeCode(), 4001);
        QVERIFY(ws.received(QStringLiteral("hello")).isEmpty());
    }
}

void tst_WebSocket::badTokenByFrame()
{
    for (const QJsonValue &token : {QJsonValue(QStringLiteral("garbage")), QJsonValue(QString())}) {
        WsClient ws;
        QVERIFY(ws.open(m_daemon.wsUrl()));
        ws.send({{QStringLiteral("type"), QStringLiteral("auth")}, {QStringLiteral("token"), token}});
        QCOMPARE(ws.nextOfType(QStringLiteral("error")).value(QStringLiteral("code")).toString(),
                 QStringLiteral("unauthorized"));
        QVERIFY(ws.waitClosed());
        QCOMPARE(ws.closeCode(), 4001);
        QVERIFY(ws.received(QStringLiteral("hello")).isEmpty());
    }
}

void tst_WebSocket::revokedToken()
{
    const QString name = unique("revoked");
    const auto acct = m_http->registerUser(name);
    QCOMPARE(m_http->raw("POST", QStringLiteral("/api/v1/auth/logout"), {}, {}, acct.token).status, 204);
    {
        WsClient ws;
        ws.open(m_daemon.wsUrl(), acct.token);
        QCOMPARE(ws.nextOfType(QStringLiteral("error")).value(QStringLiteral("code")).toString(),
                 QStringLiteral("unauthorized"));
        QVERIFY(ws.waitClosed());
        QCOMPARE(ws.closeCode(), 4001);
    }
    {
        WsClient ws;
        QVERIFY(ws.open(m_daemon.wsUrl()));
        ws.send({{QStringLiteral("type"), QStringLiteral("auth")}, {QStringLiteral("token"), acct.token}});
        QCOMPARE(ws.nextOfType(QStringLiteral("error")).value(QStringLiteral("code")).toString(),
                 QStringLiteral("unauthorized"));
        QVERIFY(ws.waitClosed());
        QCOMPARE(ws.closeCode(), 4001);
    }
}

void tst_WebSocket::framesBeforeAuth()
{
    // Frames sent right behind the header-authenticated upgrade, before
    // hello, are handled after it, in order.
    const Pair p = pair("early");
    WsClient a;
    QVERIFY(a.open(m_daemon.wsUrl(), p.a.token));
    a.send({{QStringLiteral("type"), QStringLiteral("ping")}, {QStringLiteral("ts"), 1}});
    a.send(WsClient::sendFrame(p.conversation, QStringLiteral("e1"), QStringLiteral("erken")));
    QVERIFY(!a.nextOfType(QStringLiteral("ack"), 10000).isEmpty());
    QStringList types;
    for (const QJsonObject &o : a.all())
        types << typeOf(o);
    QCOMPARE(types, (QStringList{QStringLiteral("hello"), QStringLiteral("pong"), QStringLiteral("ack")}));
}

void tst_WebSocket::authTimeout()
{
    // Without a token, the first frame must be auth; until it comes other
    // frames are refused, and after --auth-timeout-ms the socket closes 4001.
    QElapsedTimer t;
    t.start();
    WsClient idle;
    QVERIFY(idle.open(m_daemon.wsUrl()));
    WsClient chatty;
    QVERIFY(chatty.open(m_daemon.wsUrl()));
    chatty.send({{QStringLiteral("type"), QStringLiteral("ping")}, {QStringLiteral("ts"), 5}});
    const QJsonObject refused = chatty.nextOfType(QStringLiteral("error"));
    QCOMPARE(refused.value(QStringLiteral("code")).toString(), QStringLiteral("unauthorized"));
    QVERIFY(chatty.received(QStringLiteral("pong")).isEmpty());
    QVERIFY(idle.waitClosed(10000));
    QVERIFY(chatty.waitClosed(10000));
    QCOMPARE(idle.closeCode(), 4001);
    QCOMPARE(chatty.closeCode(), 4001);
    QVERIFY2(t.elapsed() >= 1400, qPrintable(QString::number(t.elapsed())));
    QVERIFY(idle.received(QStringLiteral("hello")).isEmpty());
}

void tst_WebSocket::badFramesKeepConnectionOpen()
{
    const Pair p = pair("badframe");
    WsClient ws;
    QVERIFY(!ws.connectAndHello(m_daemon.wsUrl(), p.a.token).isEmpty());
    const QString conv = QString::number(p.conversation);
    struct Case
    {
        QString text;
        QJsonValue ref; // Undefined: no ref expected
    };
    const QJsonValue none(QJsonValue::Undefined);
    const QList<Case> cases{
        {QStringLiteral("not json"), none},
        {QStringLiteral("{\"type\": \"send\", "), none},
        {QStringLiteral("[1, 2, 3]"), none},
        {QStringLiteral("\"send\""), none},
        {QStringLiteral("{}"), none},
        {QStringLiteral("{\"type\": 5}"), none},
        {QStringLiteral("{\"type\": \"fly\"}"), none},
        {QStringLiteral("{\"type\": \"fly\", \"client_msg_id\": \"u-1\"}"), QStringLiteral("u-1")},
        {QStringLiteral("{\"type\": \"send\", \"conversation_id\": \"%1\", \"client_msg_id\": \"w-1\", \"body\": \"x\"}").arg(conv),
         QStringLiteral("w-1")},
        {QStringLiteral("{\"type\": \"send\", \"conversation_id\": %1, \"client_msg_id\": \"w-2\", \"body\": 7}").arg(conv),
         QStringLiteral("w-2")},
        {QStringLiteral("{\"type\": \"send\", \"conversation_id\": %1.5, \"client_msg_id\": \"w-3\", \"body\": \"x\"}").arg(conv),
         QStringLiteral("w-3")},
        {QStringLiteral("{\"type\": \"send\", \"client_msg_id\": \"w-4\", \"body\": \"x\"}"), QStringLiteral("w-4")},
        {QStringLiteral("{\"type\": \"send\", \"conversation_id\": %1, \"body\": \"x\"}").arg(conv), none},
        {QStringLiteral("{\"type\": \"send\", \"conversation_id\": %1, \"client_msg_id\": 9, \"body\": \"x\"}").arg(conv), none},
        {QStringLiteral("{\"type\": \"typing\", \"conversation_id\": \"%1\"}").arg(conv), none},
        {QStringLiteral("{\"type\": \"typing\"}"), none},
        {QStringLiteral("{\"type\": \"read\", \"conversation_id\": %1, \"message_id\": \"1\"}").arg(conv), none},
        {QStringLiteral("{\"type\": \"read\", \"conversation_id\": %1}").arg(conv), none},
        {QStringLiteral("{\"type\": \"sync\", \"after_id\": \"0\"}"), none},
        {QStringLiteral("{\"type\": \"sync\", \"after_id\": 0, \"limit\": \"10\"}"), none},
        {QStringLiteral("{\"type\": \"sync\", \"after_id\": -1}"), none},
        {QStringLiteral("{\"type\": \"auth\", \"token\": \"%1\"}").arg(p.a.token), none},
    };
    for (const Case &c : cases) {
        ws.sendText(c.text);
        const QJsonObject e = ws.next();
        QVERIFY2(typeOf(e) == u"error", qPrintable(c.text));
        QVERIFY2(e.value(QStringLiteral("code")).toString() == u"bad_request",
                 qPrintable(c.text + QStringLiteral(" -> ") + QString::fromUtf8(QJsonDocument(e).toJson(QJsonDocument::Compact))));
        QVERIFY2(!e.value(QStringLiteral("message")).toString().isEmpty(), qPrintable(c.text));
        if (c.ref.isUndefined())
            QVERIFY2(!e.contains(QStringLiteral("ref")), qPrintable(c.text));
        else
            QVERIFY2(e.value(QStringLiteral("ref")) == c.ref, qPrintable(c.text));
        QVERIFY(ws.isOpen());
    }
    // Still open and working; nothing was stored.
    QVERIFY(ws.roundTrip());
    QVERIFY(!ws.sendAndAck(p.conversation, QStringLiteral("after-bad"), QStringLiteral("hâlâ açık")).isEmpty());
    QCOMPARE(historyIds(p.a, p.conversation).size(), 1);
}

void tst_WebSocket::binaryFrameCloses1003()
{
    const auto u = m_http->registerUser(unique("binary"));
    WsClient ws;
    QVERIFY(!ws.connectAndHello(m_daemon.wsUrl(), u.token).isEmpty());
    ws.sendBinary(QByteArray("{\"type\":\"ping\"}"));
    QVERIFY(ws.waitClosed());
    QCOMPARE(ws.closeCode(), 1003);
}

void tst_WebSocket::oversizedFrameCloses1009()
{
    const auto u = m_http->registerUser(unique("big"));
    {
        // Just under the 64 KiB default is fine.
        WsClient ws;
        QVERIFY(!ws.connectAndHello(m_daemon.wsUrl(), u.token).isEmpty());
        const QString ts = repeat(QStringLiteral("t"), 60 * 1024);
        ws.send({{QStringLiteral("type"), QStringLiteral("ping")}, {QStringLiteral("ts"), ts}});
        QCOMPARE(ws.nextOfType(QStringLiteral("pong")).value(QStringLiteral("ts")).toString(), ts);
    }
    WsClient ws;
    QVERIFY(!ws.connectAndHello(m_daemon.wsUrl(), u.token).isEmpty());
    const QString ts = repeat(QStringLiteral("t"), 64 * 1024 + 16);
    ws.send({{QStringLiteral("type"), QStringLiteral("ping")}, {QStringLiteral("ts"), ts}});
    QVERIFY(ws.waitClosed());
    QCOMPARE(ws.closeCode(), 1009);
    QVERIFY(ws.received(QStringLiteral("pong")).isEmpty());
}

void tst_WebSocket::rawFraming()
{
    // RFC 6455 details a client that nobody on the team wrote may use.
    const auto u = m_http->registerUser(unique("raw"));
    auto waitFrame = [](RawWebSocket &r, const std::function<bool(const RawWebSocket::Frame &)> &match) {
        return WsClient::waitUntil([&] {
            const QList<RawWebSocket::Frame> all = r.frames();
            return std::any_of(all.begin(), all.end(), match);
        }, 10000);
    };
    auto textOfType = [](const QString &type, const QString &ts = {}) {
        return [=](const RawWebSocket::Frame &f) {
            if (f.opcode != 1)
                return false;
            const QJsonObject o = QJsonDocument::fromJson(f.payload).object();
            return typeOf(o) == type && (ts.isEmpty() || o.value(QStringLiteral("ts")).toString() == ts);
        };
    };
    {
        RawWebSocket r;
        QVERIFY(r.open(m_daemon.port(), u.token));
        QVERIFY(waitFrame(r, textOfType(QStringLiteral("hello"))));
        // A text message in three fragments, with a ping between them
        // (control frames may come between fragments).
        r.sendFrame(1, "{\"type\":\"pi", false);
        r.sendFrame(0, "ng\",\"ts\":", false);
        r.sendFrame(9, "hb");
        r.sendFrame(0, "\"frag\"}", true);
        QVERIFY2(waitFrame(r, textOfType(QStringLiteral("pong"), QStringLiteral("frag"))), "no pong for a fragmented ping");
        QVERIFY2(waitFrame(r, [](const RawWebSocket::Frame &f) { return f.opcode == 10 && f.payload == "hb"; }),
                 "no pong control frame for a ping control frame");
        // The client closes: the server answers the close and ends.
        r.sendFrame(8, QByteArray("\x03\xe8", 2) + "bye");
        QCOMPARE(r.waitForClose(10000), 1000);
        QVERIFY(WsClient::waitUntil([&] { return r.socket().state() == QAbstractSocket::UnconnectedState; }, 10000));
    }
    {
        // Headers as browsers write them; a frame that trickles in a byte
        // at a time.
        RawWebSocket r;
        r.setUpgradeHeaders("WebSocket", "keep-alive, Upgrade");
        QVERIFY(r.open(m_daemon.port(), u.token));
        QVERIFY(waitFrame(r, textOfType(QStringLiteral("hello"))));
        // One masked frame (a zero mask leaves the payload as it is), written
        // a byte at a time.
        const QByteArray json = "{\"type\":\"ping\",\"ts\":\"slow\"}";
        QByteArray frame;
        frame.append(char(0x81)).append(char(0x80 | json.size())).append("\0\0\0\0", 4).append(json);
        for (char c : std::as_const(frame)) {
            r.socket().write(&c, 1);
            r.socket().flush();
            QTest::qWait(2);
        }
        QVERIFY2(waitFrame(r, textOfType(QStringLiteral("pong"), QStringLiteral("slow"))), "no pong for a trickled frame");
    }
    {
        // Fragments that together pass the 64 KiB limit: 1009.
        RawWebSocket r;
        QVERIFY(r.open(m_daemon.port(), u.token));
        QVERIFY(waitFrame(r, textOfType(QStringLiteral("hello"))));
        r.sendFrame(1, "{\"type\":\"ping\",\"ts\":\"" + QByteArray(40 * 1024, 'a'), false);
        r.sendFrame(0, QByteArray(40 * 1024, 'b') + "\"}", true);
        QCOMPARE(r.waitForClose(10000), 1009);
    }
    {
        // A header that announces more than the limit: 1009 at once, the
        // server does not wait for (or buffer) the announced bytes.
        RawWebSocket r;
        QVERIFY(r.open(m_daemon.port(), u.token));
        QVERIFY(waitFrame(r, textOfType(QStringLiteral("hello"))));
        r.sendHeaderOnly(1, quint64(1) << 32);
        QCOMPARE(r.waitForClose(10000), 1009);
    }
}

void tst_WebSocket::sendValidation()
{
    const Pair p = pair("sendval");
    WsClient a, b;
    QVERIFY(!a.connectAndHello(m_daemon.wsUrl(), p.a.token).isEmpty());
    QVERIFY(!b.connectAndHello(m_daemon.wsUrl(), p.b.token).isEmpty());
    QVERIFY(b.roundTrip());
    int n = 0;
    auto refused = [&](const QString &body, const QString &cmid = {}) {
        const QString id = cmid.isNull() ? QStringLiteral("v-%1").arg(++n) : cmid;
        a.send(WsClient::sendFrame(p.conversation, id, body));
        const QJsonObject e = a.nextWhere([](const QJsonObject &o) {
            return typeOf(o) == u"error" || typeOf(o) == u"ack";
        });
        if (typeOf(e) != u"error" || e.value(QStringLiteral("code")).toString() != u"bad_request"
            || e.value(QStringLiteral("ref")).toString() != id) {
            qWarning("not refused: %s", QJsonDocument(e).toJson(QJsonDocument::Compact).constData());
            return false;
        }
        return true;
    };
    QVERIFY(refused(QString()));
    QVERIFY(refused(QStringLiteral("   ")));
    QVERIFY(refused(QStringLiteral("\t\r\n")));
    QVERIFY(refused(QStringLiteral("\u00a0")));
    QVERIFY(refused(QStringLiteral("\u2002\u3000\u00a0 ")));
    QVERIFY(refused(repeat(QStringLiteral("a"), 4001)));
    QVERIFY(refused(repeat(QStringLiteral("🙂"), 4001)));
    QVERIFY(refused(QStringLiteral("ok"), QStringLiteral("")));
    QVERIFY(refused(QStringLiteral("ok"), repeat(QStringLiteral("x"), 65)));
    QVERIFY(refused(QStringLiteral("ok"), repeat(QStringLiteral("é"), 65)));
    QVERIFY(a.isOpen());
    QVERIFY(historyIds(p.a, p.conversation).isEmpty());

    // The limits count code points.
    const QString body = repeat(QStringLiteral("🙂"), 4000);
    const QJsonObject m = a.sendAndAck(p.conversation, repeat(QStringLiteral("ğ"), 64), body);
    QCOMPARE(m.value(QStringLiteral("body")).toString(), body);
    QCOMPARE(b.nextOfType(QStringLiteral("message")).value(QStringLiteral("message")).toObject(), m);
    QVERIFY(!a.sendAndAck(p.conversation, QStringLiteral("a"), repeat(QStringLiteral("a"), 4000)).isEmpty());
    QVERIFY(!a.sendAndAck(p.conversation, QStringLiteral("b"), QStringLiteral(" \u00a0x")).isEmpty());
    QCOMPARE(historyIds(p.a, p.conversation).size(), 3);
    // b never saw any of the refused ones.
    QVERIFY(b.roundTrip());
    QTRY_COMPARE(b.received(QStringLiteral("message")).size(), 3);
}

void tst_WebSocket::sendNotParticipant()
{
    const Pair p = pair("notpart");
    const auto stranger = m_http->registerUser(unique("notpart"));
    WsClient s, a;
    QVERIFY(!s.connectAndHello(m_daemon.wsUrl(), stranger.token).isEmpty());
    QVERIFY(!a.connectAndHello(m_daemon.wsUrl(), p.a.token).isEmpty());
    QVERIFY(a.roundTrip());
    for (qint64 conv : {p.conversation, qint64(987654321)}) {
        s.send(WsClient::sendFrame(conv, QStringLiteral("np-%1").arg(conv), QStringLiteral("sızma")));
        const QJsonObject e = s.nextOfType(QStringLiteral("error"), 10000);
        QCOMPARE(e.value(QStringLiteral("code")).toString(), QStringLiteral("not_found"));
        QCOMPARE(e.value(QStringLiteral("ref")).toString(), QStringLiteral("np-%1").arg(conv));
    }
    QVERIFY(s.isOpen());
    QVERIFY(s.received(QStringLiteral("ack")).isEmpty());
    QVERIFY(historyIds(p.a, p.conversation).isEmpty());
    QVERIFY(a.roundTrip());
    QVERIFY(a.received(QStringLiteral("message")).isEmpty());
}

void tst_WebSocket::idempotentResend()
{
    const Pair p = pair("idem");
    WsClient a1, a2, b;
    QVERIFY(!a1.connectAndHello(m_daemon.wsUrl(), p.a.token).isEmpty());
    QVERIFY(!a2.connectAndHello(m_daemon.wsUrl(), p.a.token).isEmpty());
    QVERIFY(!b.connectAndHello(m_daemon.wsUrl(), p.b.token).isEmpty());
    QVERIFY(b.roundTrip());
    QVERIFY(a2.roundTrip());

    const QJsonObject first = a1.sendAndAck(p.conversation, QStringLiteral("same"), QStringLiteral("ilk"));
    QVERIFY(!first.isEmpty());
    // Again, with another body, from the same and from another connection.
    QCOMPARE(a1.sendAndAck(p.conversation, QStringLiteral("same"), QStringLiteral("ikinci")), first);
    QCOMPARE(a2.sendAndAck(p.conversation, QStringLiteral("same"), QStringLiteral("üçüncü")), first);
    // Back to back, before the first is stored.
    a1.send(WsClient::sendFrame(p.conversation, QStringLiteral("twice"), QStringLiteral("çift")));
    a1.send(WsClient::sendFrame(p.conversation, QStringLiteral("twice"), QStringLiteral("çift")));
    const QJsonObject t1 = a1.nextOfType(QStringLiteral("ack"));
    const QJsonObject t2 = a1.nextOfType(QStringLiteral("ack"));
    QCOMPARE(t1.value(QStringLiteral("client_msg_id")).toString(), QStringLiteral("twice"));
    QCOMPARE(t1.value(QStringLiteral("message")).toObject(), t2.value(QStringLiteral("message")).toObject());

    // One marker message after all of it: when b has it, b has everything.
    const QJsonObject marker = a1.sendAndAck(p.conversation, QStringLiteral("marker"), QStringLiteral("son"));
    QVERIFY(!b.nextWhere([&](const QJsonObject &o) { return idOfMessageFrame(o) == marker.value(QStringLiteral("id")).toInteger(); }, 10000)
                 .isEmpty());
    QList<qint64> seenByB;
    for (const QJsonObject &o : b.received(QStringLiteral("message")))
        seenByB << idOfMessageFrame(o);
    const QList<qint64> expected{first.value(QStringLiteral("id")).toInteger(),
                                 t1.value(QStringLiteral("message")).toObject().value(QStringLiteral("id")).toInteger(),
                                 marker.value(QStringLiteral("id")).toInteger()};
    QCOMPARE(seenByB, expected);
    QCOMPARE(historyIds(p.b, p.conversation), expected);
    QCOMPARE(b.received(QStringLiteral("message")).first().value(QStringLiteral("message")).toObject(), first);
    // a2 (the sender's other connection) saw each once too.
    QTRY_COMPARE(a2.received(QStringLiteral("message")).size(), 3);

    // (sender, client_msg_id) is one message whichever way it comes.
    const HttpResult viaHttp = m_http->post(QStringLiteral("/api/v1/conversations/%1/messages").arg(p.conversation),
                                            {{QStringLiteral("body"), QStringLiteral("http")},
                                             {QStringLiteral("client_msg_id"), QStringLiteral("both-ways")}},
                                            p.a.token);
    QCOMPARE(viaHttp.status, 201);
    QCOMPARE(a1.sendAndAck(p.conversation, QStringLiteral("both-ways"), QStringLiteral("ws")), viaHttp.json());
    const HttpResult again = m_http->post(QStringLiteral("/api/v1/conversations/%1/messages").arg(p.conversation),
                                          {{QStringLiteral("body"), QStringLiteral("http")},
                                           {QStringLiteral("client_msg_id"), QStringLiteral("same")}},
                                          p.a.token);
    QCOMPARE(again.status, 200);
    QCOMPARE(again.json(), first);
    QCOMPARE(historyIds(p.b, p.conversation).size(), 4);
}

void tst_WebSocket::typingRelay()
{
    const Pair p = pair("typing");
    const Pair other = pair("typingx");
    WsClient a1, a2, b1, b2, x;
    QVERIFY(!a1.connectAndHello(m_daemon.wsUrl(), p.a.token).isEmpty());
    QVERIFY(!a2.connectAndHello(m_daemon.wsUrl(), p.a.token).isEmpty());
    QVERIFY(!b1.connectAndHello(m_daemon.wsUrl(), p.b.token).isEmpty());
    QVERIFY(!b2.connectAndHello(m_daemon.wsUrl(), p.b.token).isEmpty());
    QVERIFY(!x.connectAndHello(m_daemon.wsUrl(), other.a.token).isEmpty());
    for (WsClient *c : {&a2, &b1, &b2, &x})
        QVERIFY(c->roundTrip());

    a1.send({{QStringLiteral("type"), QStringLiteral("typing")}, {QStringLiteral("conversation_id"), p.conversation}});
    for (WsClient *c : {&b1, &b2}) {
        const QJsonObject t = c->nextOfType(QStringLiteral("typing"));
        QCOMPARE(keysOf(t), setOf({"type", "conversation_id", "user_id"}));
        QCOMPARE(t.value(QStringLiteral("conversation_id")).toInteger(), p.conversation);
        QCOMPARE(t.value(QStringLiteral("user_id")).toInteger(), p.a.id);
    }
    // Typing in someone else's conversation: dropped silently.
    x.send({{QStringLiteral("type"), QStringLiteral("typing")}, {QStringLiteral("conversation_id"), p.conversation}});
    QVERIFY(x.roundTrip());
    // A marker message: once every connection has it, typing would be there.
    const QJsonObject marker = a1.sendAndAck(p.conversation, QStringLiteral("tm"), QStringLiteral("yazdım"));
    for (WsClient *c : {&a2, &b1, &b2})
        QVERIFY(!c->nextOfType(QStringLiteral("message"), 10000).isEmpty());
    QVERIFY(a1.received(QStringLiteral("typing")).isEmpty());
    QVERIFY(a2.received(QStringLiteral("typing")).isEmpty());
    QCOMPARE(b1.received(QStringLiteral("typing")).size(), 1);
    QCOMPARE(b2.received(QStringLiteral("typing")).size(), 1);
    QVERIFY(x.received(QStringLiteral("error")).isEmpty());
    QVERIFY(x.received(QStringLiteral("typing")).isEmpty());
    QVERIFY(a1.received(QStringLiteral("error")).isEmpty());
    Q_UNUSED(marker);
}

void tst_WebSocket::typingRateLimit()
{
    const Pair p = pair("typerate");
    const Pair q = pair("typerate2");
    // a is in two conversations: the budget is per conversation.
    const qint64 second = m_http->conversation(p.a, q.b.id);
    WsClient a, b, c;
    QVERIFY(!a.connectAndHello(m_daemon.wsUrl(), p.a.token).isEmpty());
    QVERIFY(!b.connectAndHello(m_daemon.wsUrl(), p.b.token).isEmpty());
    QVERIFY(!c.connectAndHello(m_daemon.wsUrl(), q.b.token).isEmpty());
    QVERIFY(b.roundTrip());
    QVERIFY(c.roundTrip());
    const QJsonObject typing{{QStringLiteral("type"), QStringLiteral("typing")},
                             {QStringLiteral("conversation_id"), p.conversation}};
    const QJsonObject typing2{{QStringLiteral("type"), QStringLiteral("typing")},
                              {QStringLiteral("conversation_id"), second}};
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < 8; ++i)
        a.send(typing);
    for (int i = 0; i < 2; ++i)
        a.send(typing2);
    QVERIFY(a.roundTrip());
    const qint64 sentWithinMs = t.elapsed();
    // Markers through the same path as typing would have taken.
    QVERIFY(!a.sendAndAck(p.conversation, QStringLiteral("tr1"), QStringLiteral("x")).isEmpty());
    QVERIFY(!a.sendAndAck(second, QStringLiteral("tr2"), QStringLiteral("y")).isEmpty());
    QVERIFY(!b.nextOfType(QStringLiteral("message"), 10000).isEmpty());
    QVERIFY(!c.nextOfType(QStringLiteral("message"), 10000).isEmpty());
    // Two a second (burst two): the rest is dropped, without an error.
    if (sentWithinMs < 400)
        QCOMPARE(b.received(QStringLiteral("typing")).size(), 2);
    else
        QVERIFY(b.received(QStringLiteral("typing")).size() <= 2 + int(sentWithinMs * 2 / 1000));
    QCOMPARE(c.received(QStringLiteral("typing")).size(), 2);
    QVERIFY(a.received(QStringLiteral("error")).isEmpty());
    // Later the budget is back.
    QTRY_VERIFY_WITH_TIMEOUT(([&] {
                                 a.send(typing);
                                 QTest::qWait(100);
                                 return b.received(QStringLiteral("typing")).size() >= 3;
                             }()),
                             5000);
}

void tst_WebSocket::readFrames()
{
    const Pair p = pair("read");
    const Pair other = pair("readx");
    WsClient a, a2, b;
    QVERIFY(!a.connectAndHello(m_daemon.wsUrl(), p.a.token).isEmpty());
    QVERIFY(!a2.connectAndHello(m_daemon.wsUrl(), p.a.token).isEmpty());
    QVERIFY(!b.connectAndHello(m_daemon.wsUrl(), p.b.token).isEmpty());
    QVERIFY(a2.roundTrip());
    const QJsonObject m1 = b.sendAndAck(p.conversation, QStringLiteral("r1"), QStringLiteral("okudun mu?"));
    const QJsonObject m2 = b.sendAndAck(p.conversation, QStringLiteral("r2"), QStringLiteral("?"));
    QVERIFY(!m1.isEmpty() && !m2.isEmpty());
    a.send({{QStringLiteral("type"), QStringLiteral("read")},
            {QStringLiteral("conversation_id"), p.conversation},
            {QStringLiteral("message_id"), m2.value(QStringLiteral("id")).toInteger()}});
    const QJsonObject r = b.nextOfType(QStringLiteral("read"), 10000);
    QCOMPARE(keysOf(r), setOf({"type", "conversation_id", "user_id", "message_id"}));
    QCOMPARE(r.value(QStringLiteral("conversation_id")).toInteger(), p.conversation);
    QCOMPARE(r.value(QStringLiteral("user_id")).toInteger(), p.a.id);
    QCOMPARE(r.value(QStringLiteral("message_id")).toInteger(), m2.value(QStringLiteral("id")).toInteger());
    // Stored: nothing is unread for a any more.
    QTRY_COMPARE(m_http->get(QStringLiteral("/api/v1/conversations/%1").arg(p.conversation), p.a.token)
                     .json().value(QStringLiteral("unread_count")).toInteger(),
                 0);
    QVERIFY(a.received(QStringLiteral("read")).isEmpty());

    // A message of another conversation, or of none: not_found.
    const qint64 foreign = m_http->post(QStringLiteral("/api/v1/conversations/%1/messages").arg(other.conversation),
                                        {{QStringLiteral("body"), QStringLiteral("z")},
                                         {QStringLiteral("client_msg_id"), QStringLiteral("z")}},
                                        other.a.token)
                               .json().value(QStringLiteral("id")).toInteger();
    for (const auto &[conv, msg] : {std::pair<qint64, qint64>{p.conversation, foreign},
                                    {p.conversation, 987654321},
                                    {other.conversation, foreign}}) {
        a.send({{QStringLiteral("type"), QStringLiteral("read")},
                {QStringLiteral("conversation_id"), conv},
                {QStringLiteral("message_id"), msg}});
        QCOMPARE(a.nextOfType(QStringLiteral("error"), 10000).value(QStringLiteral("code")).toString(),
                 QStringLiteral("not_found"));
    }
    QVERIFY(a.isOpen());
    QVERIFY(a.roundTrip());
}

void tst_WebSocket::pingPong()
{
    const auto u = m_http->registerUser(unique("ping"));
    WsClient ws;
    QVERIFY(!ws.connectAndHello(m_daemon.wsUrl(), u.token).isEmpty());
    const QList<QJsonValue> values{
        QJsonValue(qint64(1732590000123)),
        QJsonValue(qint64(9007199254740991)),
        QJsonValue(0),
        QJsonValue(-17),
        QJsonValue(1.25),
        QJsonValue(QStringLiteral("abc")),
        QJsonValue(QStringLiteral("çğ\"\\/😀")),
        QJsonValue(QString()),
        QJsonValue(QJsonObject{{QStringLiteral("a"), QJsonArray{1, QStringLiteral("x"), QJsonValue(), true}},
                               {QStringLiteral("n"), QJsonObject{{QStringLiteral("deep"), 2.5}}}}),
        QJsonValue(QJsonArray{1, 2, 3}),
        QJsonValue(true),
        QJsonValue(),
    };
    for (const QJsonValue &ts : values) {
        ws.send({{QStringLiteral("type"), QStringLiteral("ping")}, {QStringLiteral("ts"), ts}});
        const QJsonObject pong = ws.next();
        QCOMPARE(typeOf(pong), QStringLiteral("pong"));
        QCOMPARE(keysOf(pong), setOf({"type", "ts"}));
        QVERIFY2(pong.value(QStringLiteral("ts")) == ts,
                 QJsonDocument(QJsonArray{ts, pong.value(QStringLiteral("ts"))}).toJson(QJsonDocument::Compact).constData());
    }
    // As given, digit for digit.
    ws.sendText(QStringLiteral("{\"type\":\"ping\",\"ts\":1732590000123}"));
    QCOMPARE(ws.next().value(QStringLiteral("ts")).toInteger(), qint64(1732590000123));
    ws.send({{QStringLiteral("type"), QStringLiteral("ping")}});
    const QJsonObject bare = ws.next();
    QCOMPARE(typeOf(bare), QStringLiteral("pong"));
}

void tst_WebSocket::presence()
{
    const Pair p = pair("presence");
    const Pair strangers = pair("presencex");
    WsClient a, x;
    QVERIFY(!a.connectAndHello(m_daemon.wsUrl(), p.a.token).isEmpty());
    QVERIFY(!x.connectAndHello(m_daemon.wsUrl(), strangers.a.token).isEmpty());
    auto presenceOf = [](WsClient &c, qint64 user, bool online) {
        return c.nextWhere(
            [&](const QJsonObject &o) {
                return typeOf(o) == u"presence" && o.value(QStringLiteral("user_id")).toInteger() == user
                       && o.value(QStringLiteral("online")).toBool() == online;
            },
            10000);
    };
    // The conversation's first message, with b away: it starts presence
    // between them, and a later one (the marker) does not.
    QVERIFY(!a.sendAndAck(p.conversation, QStringLiteral("p0"), QStringLiteral("önce")).isEmpty());
    {
        WsClient b1;
        QVERIFY(!b1.connectAndHello(m_daemon.wsUrl(), p.b.token).isEmpty());
        const QJsonObject on = presenceOf(a, p.b.id, true);
        QCOMPARE(keysOf(on), setOf({"type", "user_id", "online"}));
        {
            // A second connection is not "coming online"; closing it while
            // another stays is not "going offline".
            WsClient b2;
            QVERIFY(!b2.connectAndHello(m_daemon.wsUrl(), p.b.token).isEmpty());
            QVERIFY(b2.roundTrip());
            b2.close();
            QVERIFY(b2.waitClosed());
            QVERIFY(b2.received(QStringLiteral("presence")).isEmpty()); // never about oneself
        }
        // A marker through the delivery path.
        QVERIFY(!b1.sendAndAck(p.conversation, QStringLiteral("pm"), QStringLiteral("buradayım")).isEmpty());
        QVERIFY(!a.nextOfType(QStringLiteral("message"), 10000).isEmpty());
        QCOMPARE(a.received(QStringLiteral("presence")).size(), 1);
        b1.close();
        QVERIFY(b1.waitClosed());
    }
    const QJsonObject off = presenceOf(a, p.b.id, false);
    QVERIFY(!off.isEmpty());
    // The stranger heard of neither, nor of a; a of no stranger.
    QVERIFY(x.roundTrip());
    for (const QJsonObject &o : x.received(QStringLiteral("presence"))) {
        const qint64 who = o.value(QStringLiteral("user_id")).toInteger();
        QVERIFY2(who != p.a.id && who != p.b.id, QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
    }
    for (const QJsonObject &o : a.received(QStringLiteral("presence")))
        QCOMPARE(o.value(QStringLiteral("user_id")).toInteger(), p.b.id);
    QCOMPARE(a.received(QStringLiteral("presence")).size(), 2);
}

void tst_WebSocket::presenceForNewConversation()
{
    // Both online before they share anything: once a conversation joins
    // them, presence flows.
    const auto a = m_http->registerUser(unique("newconv"));
    const auto b = m_http->registerUser(unique("newconv"), QStringLiteral("tradesman"));
    WsClient wa;
    QVERIFY(!wa.connectAndHello(m_daemon.wsUrl(), a.token).isEmpty());
    {
        WsClient wb;
        QVERIFY(!wb.connectAndHello(m_daemon.wsUrl(), b.token).isEmpty());
        QVERIFY(wa.roundTrip());
        const qint64 conv = m_http->conversation(b, a.id);
        QVERIFY(conv > 0);
        QVERIFY(!wb.sendAndAck(conv, QStringLiteral("nc"), QStringLiteral("merhaba")).isEmpty());
        QVERIFY(!wa.nextOfType(QStringLiteral("message"), 10000).isEmpty());
        // The first message tells a that b, already online, is.
        const QJsonObject already = wa.nextWhere([&](const QJsonObject &o) {
            return typeOf(o) == u"presence" && o.value(QStringLiteral("user_id")).toInteger() == b.id;
        }, 10000);
        QVERIFY2(!already.isEmpty(), "no presence with the conversation's first message");
        QCOMPARE(already.value(QStringLiteral("online")).toBool(), true);
        wb.close();
        QVERIFY(wb.waitClosed());
    }
    const QJsonObject off = wa.nextWhere([&](const QJsonObject &o) {
        return typeOf(o) == u"presence" && o.value(QStringLiteral("user_id")).toInteger() == b.id;
    }, 10000);
    QVERIFY2(!off.isEmpty(), "no presence after the conversation was created");
    QCOMPARE(off.value(QStringLiteral("online")).toBool(), false);
    WsClient wb2;
    QVERIFY(!wb2.connectAndHello(m_daemon.wsUrl(), b.token).isEmpty());
    const QJsonObject on = wa.nextOfType(QStringLiteral("presence"), 10000);
    QCOMPARE(on.value(QStringLiteral("user_id")).toInteger(), b.id);
    QCOMPARE(on.value(QStringLiteral("online")).toBool(), true);
}

void tst_WebSocket::syncAfterDrop()
{
    const Pair p = pair("sync");
    WsClient b;
    QVERIFY(!b.connectAndHello(m_daemon.wsUrl(), p.b.token).isEmpty());
    QList<qint64> all; // ids b sent, in order
    QSet<qint64> shown; // what a's user has seen, with duplicates dropped
    qint64 highest = 0;
    {
        WsClient a1;
        QVERIFY(!a1.connectAndHello(m_daemon.wsUrl(), p.a.token).isEmpty());
        QVERIFY(a1.roundTrip());
        for (int i = 1; i <= 3; ++i)
            all << b.sendAndAck(p.conversation, QStringLiteral("s%1").arg(i), QStringLiteral("canlı %1").arg(i))
                       .value(QStringLiteral("id")).toInteger();
        QTRY_COMPARE(a1.received(QStringLiteral("message")).size(), 3);
        for (const QJsonObject &o : a1.received(QStringLiteral("message"))) {
            shown.insert(idOfMessageFrame(o));
            highest = std::max(highest, idOfMessageFrame(o));
        }
        a1.abort(); // the connection drops
    }
    for (int i = 4; i <= 6; ++i)
        all << b.sendAndAck(p.conversation, QStringLiteral("s%1").arg(i), QStringLiteral("kaçırılan %1").arg(i))
                   .value(QStringLiteral("id")).toInteger();

    WsClient a2;
    const QJsonObject hello = a2.connectAndHello(m_daemon.wsUrl(), p.a.token);
    QCOMPARE(hello.value(QStringLiteral("last_message_id")).toInteger(), all.last());
    // One more message races with the sync.
    b.send(WsClient::sendFrame(p.conversation, QStringLiteral("s7"), QStringLiteral("yarışan")));
    a2.send({{QStringLiteral("type"), QStringLiteral("sync")}, {QStringLiteral("after_id"), highest}});
    const qint64 s7 = b.nextOfType(QStringLiteral("ack")).value(QStringLiteral("message")).toObject()
                          .value(QStringLiteral("id")).toInteger();
    QVERIFY(s7 > 0);
    all << s7;
    const QJsonObject synced = a2.nextOfType(QStringLiteral("synced"), 10000);
    QCOMPARE(keysOf(synced), setOf({"type", "last_id", "has_more"}));
    QCOMPARE(synced.value(QStringLiteral("has_more")).toBool(), false);
    // Until s7 is there (by sync or live).
    QTRY_VERIFY([&] {
        for (const QJsonObject &o : a2.received(QStringLiteral("message")))
            if (idOfMessageFrame(o) == s7)
                return true;
        return false;
    }());
    QVERIFY(a2.roundTrip());

    // The frames before synced are the missed messages, ascending; last_id
    // is the last of them.
    QList<qint64> bySync, inOrder;
    bool afterSynced = false;
    for (const QJsonObject &o : a2.all()) {
        if (typeOf(o) == u"synced")
            afterSynced = true;
        if (typeOf(o) != u"message")
            continue;
        inOrder << idOfMessageFrame(o);
        if (!afterSynced)
            bySync << idOfMessageFrame(o);
    }
    QVERIFY(bySync.size() >= 3);
    QCOMPARE(bySync.mid(0, 3), all.mid(3, 3));
    QCOMPARE(synced.value(QStringLiteral("last_id")).toInteger(), bySync.last());
    // Never a lower id after a higher one (guarantee 4), and the client,
    // dropping what it has seen, shows each message exactly once.
    for (qsizetype i = 1; i < inOrder.size(); ++i)
        QVERIFY2(inOrder[i] > inOrder[i - 1], "a message frame went backwards");
    QList<qint64> shownInOrder(shown.begin(), shown.end());
    std::sort(shownInOrder.begin(), shownInOrder.end());
    for (qint64 id : inOrder)
        if (!shown.contains(id)) {
            shown.insert(id);
            shownInOrder << id;
        }
    QCOMPARE(shownInOrder, all);
    QCOMPARE(inOrder, all.mid(3)); // and nothing twice on one connection

    // A sync with nothing new: synced with last_id = after_id.
    a2.send({{QStringLiteral("type"), QStringLiteral("sync")}, {QStringLiteral("after_id"), s7}});
    const QJsonObject empty = a2.nextOfType(QStringLiteral("synced"));
    QCOMPARE(empty.value(QStringLiteral("last_id")).toInteger(), s7);
    QCOMPARE(empty.value(QStringLiteral("has_more")).toBool(), false);
    QVERIFY(a2.roundTrip());
    QCOMPARE(a2.received(QStringLiteral("message")).size(), 4);
}

void tst_WebSocket::syncPaging()
{
    // One user, two conversations: sync returns both, ascending by id.
    const auto me = m_http->registerUser(unique("page"));
    const auto t1 = m_http->registerUser(unique("page"), QStringLiteral("tradesman"));
    const auto t2 = m_http->registerUser(unique("page"), QStringLiteral("tradesman"));
    const qint64 c1 = m_http->conversation(me, t1.id);
    const qint64 c2 = m_http->conversation(me, t2.id);
    const Pair unrelated = pair("pagex");
    QList<qint64> mine;
    for (int i = 0; i < 7; ++i) {
        const auto &from = i % 2 ? t2 : t1;
        const qint64 conv = i % 2 ? c2 : c1;
        mine << m_http->post(QStringLiteral("/api/v1/conversations/%1/messages").arg(conv),
                             {{QStringLiteral("body"), QStringLiteral("p%1").arg(i)},
                              {QStringLiteral("client_msg_id"), QStringLiteral("p%1").arg(i)}},
                             from.token)
                    .json().value(QStringLiteral("id")).toInteger();
        m_http->post(QStringLiteral("/api/v1/conversations/%1/messages").arg(unrelated.conversation),
                     {{QStringLiteral("body"), QStringLiteral("q%1").arg(i)},
                      {QStringLiteral("client_msg_id"), QStringLiteral("q%1").arg(i)}},
                     unrelated.a.token);
    }
    WsClient ws;
    QVERIFY(!ws.connectAndHello(m_daemon.wsUrl(), me.token).isEmpty());
    QList<qint64> got;
    qint64 after = 0;
    QList<bool> more;
    for (int page = 0; page < 5; ++page) {
        ws.send({{QStringLiteral("type"), QStringLiteral("sync")},
                 {QStringLiteral("after_id"), after},
                 {QStringLiteral("limit"), 3}});
        QList<qint64> thisPage;
        for (;;) {
            const QJsonObject f = ws.next(10000);
            QVERIFY(!f.isEmpty());
            if (typeOf(f) == u"synced") {
                QCOMPARE(f.value(QStringLiteral("last_id")).toInteger(), thisPage.isEmpty() ? after : thisPage.last());
                more << f.value(QStringLiteral("has_more")).toBool();
                break;
            }
            QCOMPARE(typeOf(f), QStringLiteral("message"));
            thisPage << idOfMessageFrame(f);
        }
        QVERIFY(thisPage.size() <= 3);
        got << thisPage;
        if (!thisPage.isEmpty())
            after = thisPage.last();
        if (!more.last())
            break;
    }
    QCOMPARE(got, mine);
    QCOMPARE(more, (QList<bool>{true, true, false}));
    // From 0 with the default limit: everything of mine at once.
    ws.send({{QStringLiteral("type"), QStringLiteral("sync")}, {QStringLiteral("after_id"), 0}});
    QList<qint64> again;
    for (QJsonObject f = ws.next(); typeOf(f) != u"synced"; f = ws.next()) {
        QVERIFY(!f.isEmpty());
        again << idOfMessageFrame(f);
    }
    QCOMPARE(again, mine);
}

void tst_WebSocket::sendRateLimit()
{
    DaemonProcess limited;
    QTemporaryDir dir;
    QString error;
    QVERIFY2(limited.start(freshDatabaseUrl(QStringLiteral("postgresql"), dir.path()),
                           DaemonProcess::defaultArgs() << QStringLiteral("--send-rate") << QStringLiteral("2")
                                                        << QStringLiteral("--send-burst") << QStringLiteral("2"),
                           error),
             qPrintable(error));
    HttpClient http(limited.httpUrl(QString()));
    const auto a = http.registerUser(QStringLiteral("rate_a"));
    const auto b = http.registerUser(QStringLiteral("rate_b"), QStringLiteral("tradesman"));
    const qint64 conv = http.conversation(a, b.id);
    WsClient ws, peer;
    QVERIFY(!ws.connectAndHello(limited.wsUrl(), a.token).isEmpty());
    QVERIFY(!peer.connectAndHello(limited.wsUrl(), b.token).isEmpty());
    for (int i = 1; i <= 6; ++i)
        ws.send(WsClient::sendFrame(conv, QStringLiteral("rl%1").arg(i), QStringLiteral("hızlı %1").arg(i)));
    // Every send is answered: an ack, or rate_limited with retry_after_ms.
    int acks = 0, refusals = 0;
    qint64 retryAfter = 0;
    QSet<QString> answered;
    for (int i = 0; i < 6; ++i) {
        const QJsonObject f = ws.nextWhere([](const QJsonObject &o) {
            return typeOf(o) == u"ack" || typeOf(o) == u"error";
        }, 10000);
        QVERIFY(!f.isEmpty());
        if (typeOf(f) == u"ack") {
            ++acks;
            answered.insert(f.value(QStringLiteral("client_msg_id")).toString());
            continue;
        }
        ++refusals;
        QCOMPARE(f.value(QStringLiteral("code")).toString(), QStringLiteral("rate_limited"));
        QVERIFY(f.value(QStringLiteral("retry_after_ms")).isDouble());
        retryAfter = f.value(QStringLiteral("retry_after_ms")).toInteger();
        QVERIFY(retryAfter > 0 && retryAfter <= 1000);
        answered.insert(f.value(QStringLiteral("ref")).toString());
    }
    QCOMPARE(answered.size(), 6);
    QVERIFY2(acks >= 2 && acks <= 3, qPrintable(QString::number(acks)));
    QCOMPARE(acks + refusals, 6);
    QVERIFY(ws.isOpen());
    // After the wait it is told, a send goes through; the other user was
    // never limited.
    QVERIFY(!peer.sendAndAck(conv, QStringLiteral("peer"), QStringLiteral("ben serbestim")).isEmpty());
    QTest::qWait(int(retryAfter) + 50);
    QVERIFY(!ws.sendAndAck(conv, QStringLiteral("later"), QStringLiteral("sonra")).isEmpty());
    QTRY_COMPARE(http.get(QStringLiteral("/api/v1/conversations/%1/messages").arg(conv), b.token)
                     .json().value(QStringLiteral("items")).toArray().size(),
                 acks + 2);
    QCOMPARE(limited.terminate(), 0);
}

void tst_WebSocket::slowReaderClosed1008()
{
    DaemonProcess small;
    QTemporaryDir dir;
    QString error;
    QVERIFY2(startWithOutgoingLimit(small, dir.path(), 16384, error), qPrintable(error));
    HttpClient http(small.httpUrl(QString()));
    const auto slow = http.registerUser(QStringLiteral("slow_reader"));
    const auto fast = http.registerUser(QStringLiteral("fast_writer"), QStringLiteral("tradesman"));
    const qint64 conv = http.conversation(slow, fast.id);

    RawWebSocket raw;
    QVERIFY(raw.open(small.port(), slow.token));
    raw.sendText("{\"type\":\"ping\",\"ts\":1}"); // ends the sync grace
    raw.stopReading();
    // Writers in conversations with the reader. Each sends big messages one
    // at a time (it reads every ack before the next: it is no slow reader
    // itself) until the reader is dropped, which they see as the reader
    // going offline.
    constexpr int kWriters = 4;
    std::vector<std::unique_ptr<WsClient>> writers;
    QList<qint64> conversations;
    for (int i = 0; i < kWriters; ++i) {
        const auto w = i == 0 ? fast
                              : http.registerUser(QStringLiteral("fast_writer%1").arg(i), QStringLiteral("tradesman"));
        conversations << (i == 0 ? conv : http.conversation(slow, w.id));
        writers.push_back(std::make_unique<WsClient>());
        QVERIFY(!writers.back()->connectAndHello(small.wsUrl(), w.token).isEmpty());
    }
    WsClient &writer = *writers.front();
    const QString body = repeat(QStringLiteral("ş"), 4000); // 8 KB a frame
    bool dropped = false;
    int sent = 0;
    auto offline = [&] {
        for (const QJsonObject &o : writer.received(QStringLiteral("presence")))
            if (o.value(QStringLiteral("user_id")).toInteger() == slow.id && !o.value(QStringLiteral("online")).toBool())
                return true;
        return false;
    };
    QElapsedTimer t;
    t.start();
    while (!dropped && sent < 4000 && t.elapsed() < 60000) {
        for (int i = 0; i < kWriters; ++i)
            writers[size_t(i)]->send(WsClient::sendFrame(conversations[i], QStringLiteral("f%1").arg(sent), body));
        ++sent;
        QVERIFY2(WsClient::waitUntil([&] {
                     for (auto &w : writers)
                         if (w->received(QStringLiteral("ack")).size() < sent)
                             return false;
                     return true;
                 }, 10000),
                 qPrintable(QStringLiteral("no ack for round %1; writer open %2, close code %3")
                                .arg(sent)
                                .arg(writer.isOpen())
                                .arg(writer.closeCode())));
        dropped = offline();
    }
    qInfo("dropped after %d messages", sent * kWriters);
    QVERIFY2(dropped, qPrintable(QStringLiteral("still connected after %1 messages").arg(sent)));
    // What the reader finds when it reads again: the frames the server got
    // out, then a close frame with 1008.
    raw.resumeReading();
    const int code = raw.waitForClose(15000);
    QVERIFY2(code == 1008, qPrintable(QStringLiteral("close code %1 after %2 frames; socket: %3")
                                          .arg(code)
                                          .arg(raw.frames().size())
                                          .arg(raw.socket().errorString())));
    // The writer is unharmed.
    QVERIFY(writer.isOpen());
    QVERIFY(writer.roundTrip());
    QCOMPARE(small.terminate(), 0);
}

DaemonProcess &tst_WebSocket::burstDaemon()
{
    if (!m_burst) {
        m_burst = std::make_unique<DaemonProcess>();
        QString error;
        if (!m_burst->start(freshDatabaseUrl(QStringLiteral("postgresql"), m_dir.path()),
                            DaemonProcess::defaultArgs() << QStringLiteral("--send-rate") << QStringLiteral("100000")
                                                         << QStringLiteral("--send-burst") << QStringLiteral("100000")
                                                         << QStringLiteral("--frame-rate") << QStringLiteral("100000")
                                                         << QStringLiteral("--frame-burst") << QStringLiteral("100000"),
                            error))
            qWarning("%s", qPrintable(error));
    }
    return *m_burst;
}

// The outgoing limit is for clients that do not read. A client that reads
// all the time must not be closed because the server wrote much at once: a
// big sync page (up to 1000 messages of up to 4000 characters, spec "sync")
// or many acks together. Both with the default 4 MiB limit.
void tst_WebSocket::bigSyncPageToReadingClient()
{
    DaemonProcess &daemon = burstDaemon();
    HttpClient http(daemon.httpUrl(QString()));
    const auto [a, b, conv] = pair(http, "bigsync");
    const QString body = repeat(QStringLiteral("😀"), 4000); // 16 KB of UTF-8
    constexpr int kMessages = 300;                          // 4.8 MB in all
    {
        WsClient sender;
        QVERIFY(!sender.connectAndHello(daemon.wsUrl(), a.token).isEmpty());
        for (int i = 0; i < kMessages; ++i)
            QVERIFY2(!sender.sendAndAck(conv, QStringLiteral("s%1").arg(i), body).isEmpty(),
                     qPrintable(QStringLiteral("message %1, close code %2").arg(i).arg(sender.closeCode())));
    }
    WsClient reader;
    QVERIFY(!reader.connectAndHello(daemon.wsUrl(), b.token).isEmpty());
    const SyncRun run = syncEverything(reader);
    QVERIFY2(run.complete, qPrintable(QStringLiteral("%1 messages in %2 pages, close code %3")
                                          .arg(run.messages).arg(run.pages).arg(reader.closeCode())));
    QCOMPARE(run.messages, kMessages);
    // Half the 4 MiB limit per page: 4.8 MB take three.
    QCOMPARE(run.pages, 3);
    QVERIFY(reader.isOpen());
}

// A sync page is written at once; at its largest (1000 messages of 4000
// characters: 16 MB of emoji) it would be far over the outgoing limit, and a
// client that reads, only not at loopback speed, was closed with 1008 for
// the page it asked for. Pages stop at half the limit in bytes instead. The
// client here stops reading for a moment after its first sync, which on
// loopback is what a slow network looks like to the server.
void tst_WebSocket::syncPageAboveOutgoingLimit()
{
    DaemonProcess small;
    QTemporaryDir dir;
    QString error;
    QVERIFY2(startWithOutgoingLimit(small, dir.path(), 262144, error), qPrintable(error));
    HttpClient http(small.httpUrl(QString()));
    const auto a = http.registerUser(QStringLiteral("page_sender"));
    const auto b = http.registerUser(QStringLiteral("page_reader"), QStringLiteral("tradesman"));
    const qint64 conv = http.conversation(a, b.id);
    const QString body = repeat(QStringLiteral("😀"), 4000); // 16 KB of UTF-8
    constexpr int kMessages = 1000;                         // 16 MB in all
    WsClient sender;
    QVERIFY(!sender.connectAndHello(small.wsUrl(), a.token).isEmpty());
    // Two at a time: the acks of a thousand at once would pass the small
    // limit while the sender is busy writing.
    for (int i = 0; i < kMessages; ++i) {
        sender.send(WsClient::sendFrame(conv, QStringLiteral("g%1").arg(i), body));
        if (i % 2 == 1)
            WsClient::waitUntil([&] { return sender.received(QStringLiteral("ack")).size() == i + 1; }, 10000);
    }
    QVERIFY2(WsClient::waitUntil([&] { return sender.received(QStringLiteral("ack")).size() == kMessages; }, 60000),
             qPrintable(QStringLiteral("%1 acks, close code %2")
                            .arg(sender.received(QStringLiteral("ack")).size())
                            .arg(sender.closeCode())));

    WsClient reader;
    QVERIFY(!reader.connectAndHello(small.wsUrl(), b.token).isEmpty());
    const SyncRun run = syncEverything(reader, 1000);
    QVERIFY2(run.complete, qPrintable(QStringLiteral("%1 messages in %2 pages, close code %3")
                                          .arg(run.messages).arg(run.pages).arg(reader.closeCode())));
    QCOMPARE(run.messages, kMessages);
    QVERIFY(run.pages >= 100); // 128 KiB pages of 16 KB messages
    // Live traffic goes on under the normal limit.
    QVERIFY(!sender.sendAndAck(conv, QStringLiteral("after"), QStringLiteral("sonra")).isEmpty());
    QVERIFY(WsClient::waitUntil([&] { return reader.received(QStringLiteral("message")).size() == kMessages + 1; },
                                10000));
    QVERIFY(reader.isOpen());
    QCOMPARE(small.terminate(), 0);
}

void tst_WebSocket::manyAcksToReadingClient()
{
    DaemonProcess &daemon = burstDaemon();
    HttpClient http(daemon.httpUrl(QString()));
    const auto [a, b, conv] = pair(http, "manyacks");
    const QString body = repeat(QStringLiteral("😀"), 4000);
    constexpr int kMessages = 300;
    WsClient sender;
    QVERIFY(!sender.connectAndHello(daemon.wsUrl(), a.token).isEmpty());
    // All at once: the acks come back in a few group commits.
    for (int i = 0; i < kMessages; ++i)
        sender.send(WsClient::sendFrame(conv, QStringLiteral("p%1").arg(i), body));
    WsClient::waitUntil(
        [&] { return sender.received(QStringLiteral("ack")).size() == kMessages || sender.isClosed(); }, 30000);
    QVERIFY2(sender.received(QStringLiteral("ack")).size() == kMessages,
             qPrintable(QStringLiteral("%1 acks, close code %2")
                            .arg(sender.received(QStringLiteral("ack")).size())
                            .arg(sender.closeCode())));
    QVERIFY(sender.isOpen());
}

void tst_WebSocket::syncLimits()
{
    // sync: limit default 500, max 1000 (clamped, not refused).
    DaemonProcess &daemon = burstDaemon();
    HttpClient http(daemon.httpUrl(QString()));
    const auto [a, b, conv] = pair(http, "synclim");
    constexpr int kMessages = 1001;
    {
        WsClient sender;
        QVERIFY(!sender.connectAndHello(daemon.wsUrl(), a.token).isEmpty());
        for (int i = 0; i < kMessages; ++i)
            sender.send(WsClient::sendFrame(conv, QStringLiteral("l%1").arg(i), QStringLiteral("%1").arg(i)));
        QVERIFY(WsClient::waitUntil([&] { return sender.received(QStringLiteral("ack")).size() == kMessages; }, 60000));
    }
    WsClient reader;
    QVERIFY(!reader.connectAndHello(daemon.wsUrl(), b.token).isEmpty());
    auto sync = [&](const QJsonObject &frame, int &count, QJsonObject &synced) {
        reader.clearQueue();
        reader.send(frame);
        count = 0;
        for (;;) {
            const QJsonObject f = reader.next(10000);
            if (f.isEmpty() || typeOf(f) == u"synced") {
                synced = f;
                return;
            }
            // The sender's presence going offline may arrive in between.
            if (typeOf(f) == u"message")
                ++count;
        }
    };
    int count = 0;
    QJsonObject synced;
    sync({{QStringLiteral("type"), QStringLiteral("sync")}, {QStringLiteral("after_id"), 0}}, count, synced);
    QCOMPARE(count, 500);
    QCOMPARE(synced.value(QStringLiteral("has_more")).toBool(), true);
    sync({{QStringLiteral("type"), QStringLiteral("sync")}, {QStringLiteral("after_id"), 0}, {QStringLiteral("limit"), 100000}},
         count, synced);
    QCOMPARE(count, 1000);
    QCOMPARE(synced.value(QStringLiteral("has_more")).toBool(), true);
    sync({{QStringLiteral("type"), QStringLiteral("sync")},
          {QStringLiteral("after_id"), synced.value(QStringLiteral("last_id")).toInteger()},
          {QStringLiteral("limit"), 1000}},
         count, synced);
    QCOMPARE(count, 1);
    QCOMPARE(synced.value(QStringLiteral("has_more")).toBool(), false);
}

// A sync whose after_id is past every id (a cursor kept from another
// server, say) returns nothing and last_id = after_id; it used to mute every
// later live message with a smaller id on that connection.
void tst_WebSocket::syncAheadOfEveryIdKeepsLiveMessages()
{
    DaemonProcess &daemon = burstDaemon();
    HttpClient http(daemon.httpUrl(QString()));
    const auto [a, b, conv] = pair(http, "ahead");
    WsClient reader, sender;
    QVERIFY(!reader.connectAndHello(daemon.wsUrl(), b.token).isEmpty());
    QVERIFY(!sender.connectAndHello(daemon.wsUrl(), a.token).isEmpty());
    const qint64 farAhead = 999999999999LL;
    reader.send({{QStringLiteral("type"), QStringLiteral("sync")}, {QStringLiteral("after_id"), farAhead}});
    const QJsonObject synced = reader.nextOfType(QStringLiteral("synced"), 10000);
    QCOMPARE(synced.value(QStringLiteral("last_id")).toInteger(), farAhead);
    QCOMPARE(synced.value(QStringLiteral("has_more")).toBool(), false);
    const QJsonObject sent = sender.sendAndAck(conv, QStringLiteral("live1"), QStringLiteral("canlı"));
    QVERIFY(!sent.isEmpty());
    const QJsonObject live = reader.nextOfType(QStringLiteral("message"), 10000);
    QCOMPARE(idOfMessageFrame(live), sent.value(QStringLiteral("id")).toInteger());
}

// A connection is registered for delivery before its hello goes out (the
// hello's last_message_id is looked up in between). Presence frames in that
// window used to go out at once, ahead of hello. Many connections of one
// user open at once while a peer comes and goes, so that some presence
// changes fall into the window; every connection must see hello first.
void tst_WebSocket::helloIsAlwaysTheFirstFrame()
{
    DaemonProcess &daemon = burstDaemon();
    HttpClient http(daemon.httpUrl(QString()));
    const auto [a, b, conv] = pair(http, "first");
    constexpr int kConnections = 150;
    std::vector<std::unique_ptr<WsClient>> many;
    for (int i = 0; i < kConnections; ++i) {
        many.push_back(std::make_unique<WsClient>());
        QNetworkRequest req(daemon.wsUrl());
        req.setRawHeader("Authorization", "Bearer " + b.token.toUtf8());
        many.back()->socket().open(req);
    }
    auto allHello = [&] {
        for (const auto &c : many)
            if (c->received(QStringLiteral("hello")).isEmpty())
                return false;
        return true;
    };
    int toggles = 0;
    while (!allHello() && toggles < 200) {
        WsClient peer; // first connection of a: presence online, then offline
        QVERIFY(!peer.connectAndHello(daemon.wsUrl(), a.token).isEmpty());
        peer.close();
        QVERIFY(peer.waitClosed());
        ++toggles;
    }
    QVERIFY(WsClient::waitUntil(allHello, 20000));
    // The peer's comings and goings reach them; what came before a hello
    // waits for that connection's grace period (1 s) to end.
    auto presenceSeen = [&] {
        int n = 0;
        for (const auto &c : many)
            n += int(c->received(QStringLiteral("presence")).size());
        return n;
    };
    QVERIFY(WsClient::waitUntil([&] { return presenceSeen() > 0; }, 10000));
    for (const auto &c : many)
        QCOMPARE(typeOf(c->all().first()), QStringLiteral("hello"));
}

void tst_WebSocket::isolation()
{
    // A third user, connected all along, in a conversation of their own.
    const auto c = m_http->registerUser(unique("iso"));
    const auto d = m_http->registerUser(unique("iso"), QStringLiteral("tradesman"));
    const qint64 cd = m_http->conversation(c, d.id);
    WsClient watcher;
    QVERIFY(!watcher.connectAndHello(m_daemon.wsUrl(), c.token).isEmpty());
    QVERIFY(watcher.roundTrip());

    const Pair p = pair("iso");
    WsClient a, b;
    QVERIFY(!a.connectAndHello(m_daemon.wsUrl(), p.a.token).isEmpty());
    QVERIFY(!b.connectAndHello(m_daemon.wsUrl(), p.b.token).isEmpty());
    QVERIFY(b.roundTrip());
    const QJsonObject m = a.sendAndAck(p.conversation, QStringLiteral("i1"), QStringLiteral("gizli"));
    QVERIFY(!m.isEmpty());
    a.send({{QStringLiteral("type"), QStringLiteral("typing")}, {QStringLiteral("conversation_id"), p.conversation}});
    b.send({{QStringLiteral("type"), QStringLiteral("read")},
            {QStringLiteral("conversation_id"), p.conversation},
            {QStringLiteral("message_id"), m.value(QStringLiteral("id")).toInteger()}});
    QVERIFY(!a.nextOfType(QStringLiteral("read"), 10000).isEmpty());
    QVERIFY(!b.nextOfType(QStringLiteral("typing"), 10000).isEmpty());
    QVERIFY(!b.sendAndAck(p.conversation, QStringLiteral("i2"), QStringLiteral("gizli cevap")).isEmpty());
    // Coming and going.
    {
        WsClient b2;
        QVERIFY(!b2.connectAndHello(m_daemon.wsUrl(), p.b.token).isEmpty());
    }
    b.close();
    QVERIFY(b.waitClosed());
    QVERIFY(!a.nextWhere([](const QJsonObject &o) {
                   return typeOf(o) == u"presence" && !o.value(QStringLiteral("online")).toBool();
               }, 10000).isEmpty());
    // The watcher's own conversation still works, and is all it hears of.
    WsClient dws;
    QVERIFY(!dws.connectAndHello(m_daemon.wsUrl(), d.token).isEmpty());
    QVERIFY(!dws.sendAndAck(cd, QStringLiteral("own"), QStringLiteral("bizimki")).isEmpty());
    QVERIFY(!watcher.nextOfType(QStringLiteral("message"), 10000).isEmpty());
    QVERIFY(watcher.roundTrip());
    for (const QJsonObject &o : watcher.all()) {
        const QString type = typeOf(o);
        if (type == u"hello" || type == u"pong")
            continue;
        if (type == u"message") {
            QCOMPARE(o.value(QStringLiteral("message")).toObject().value(QStringLiteral("conversation_id")).toInteger(), cd);
            continue;
        }
        if (type == u"presence") {
            QCOMPARE(o.value(QStringLiteral("user_id")).toInteger(), d.id);
            continue;
        }
        QFAIL(qPrintable(QStringLiteral("the watcher got ") + QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact))));
    }
    // Nor can the watcher read it over HTTP or sync it.
    watcher.send({{QStringLiteral("type"), QStringLiteral("sync")}, {QStringLiteral("after_id"), 0}});
    QList<qint64> synced;
    for (QJsonObject f = watcher.next(); typeOf(f) != u"synced"; f = watcher.next()) {
        QVERIFY(!f.isEmpty());
        if (typeOf(f) == u"message")
            synced << f.value(QStringLiteral("message")).toObject().value(QStringLiteral("conversation_id")).toInteger();
    }
    QCOMPARE(synced, QList<qint64>{cd});
    QCOMPARE(m_http->get(QStringLiteral("/api/v1/conversations/%1/messages").arg(p.conversation), c.token).status, 404);
}

QTEST_MAIN(tst_WebSocket)
#include "tst_websocket.moc"
