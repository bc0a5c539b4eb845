// The console's end of the admin stream (docs/protocol.md, "Admin stream"):
// the frame parser on every frame of the protocol and on what a hostile
// server or proxy could send instead (lengths at the edges, integers past
// 2^53, truncation at every byte, bad UTF-8, wrong types, too many
// elements); the seq cursor; and AdminStream against a WebSocket server in
// this process that plays the daemon's part frame by frame: the token on
// the upgrade, live after welcome, resume with stream and after, a reload
// when the stream could not be resumed, a refused frame or a gap leading to
// a resume from the last good seq, and 4001 leading to polling.

#include "admin_client.h"
#include "stream/admin_stream.h"
#include "stream/stream_frame_parser.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QWebSocket>
#include <QWebSocketServer>
#include <QtTest>
#include <memory>

using namespace Qt::StringLiterals;
using namespace sanayicin::console;

namespace {

QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QJsonObject point(double in, double out, const QJsonValue &p95 = 12.5)
{
    return {{u"t"_s, u"2026-12-03T17:00:00Z"_s}, {u"messages_in"_s, in}, {u"messages_out"_s, out},
            {u"ack_p50_ms"_s, 3.0}, {u"ack_p95_ms"_s, p95}, {u"ack_p99_ms"_s, QJsonValue()},
            {u"connections"_s, 4}, {u"http_rps"_s, 1.5}, {u"http_error_rate"_s, 0},
            {u"http_5xx_rate"_s, 0}, {u"writer_backlog"_s, 0}};
}

QJsonObject welcome(qint64 seq, const QString &stream = u"i1:1764780000000"_s, bool resumed = false)
{
    return {{u"type"_s, u"welcome"_s}, {u"seq"_s, seq}, {u"stream"_s, stream},
            {u"user"_s, QJsonObject{{u"id"_s, 1}, {u"username"_s, u"root_admin"_s}}},
            {u"instance"_s, u"i1"_s}, {u"heartbeat_s"_s, 30}, {u"resumed"_s, resumed}};
}

QJsonObject instance(const QString &id, const QString &state = u"ok"_s)
{
    return {{u"id"_s, id}, {u"version"_s, u"1.0"_s}, {u"started_at"_s, u"2026-12-03T10:00:00Z"_s},
            {u"listen"_s, u"127.0.0.1:8080"_s}, {u"connections"_s, 2}, {u"online_users"_s, 1},
            {u"writer_backlog"_s, 0}, {u"draining"_s, false}, {u"state"_s, state},
            {u"point"_s, point(5, 6)}};
}

QJsonObject tick(qint64 seq, int instances = 2)
{
    QJsonArray list;
    for (int i = 0; i < instances; ++i)
        list.append(instance(u"i%1"_s.arg(i + 1)));
    return {{u"type"_s, u"tick"_s}, {u"seq"_s, seq}, {u"t"_s, u"2026-12-03T17:00:01.000Z"_s},
            {u"instances"_s, list}, {u"cluster"_s, point(10, 12)}};
}

QJsonObject connection(const QString &instance, qint64 id)
{
    return {{u"id"_s, id}, {u"user_id"_s, 7}, {u"username"_s, u"ayşe"_s}, {u"address"_s, u"10.0.0.1"_s},
            {u"opened_at"_s, u"2026-12-03T17:00:00Z"_s}, {u"authenticated"_s, true},
            {u"unsent_bytes"_s, 0}, {u"instance"_s, instance}};
}

QJsonObject connections(qint64 seq, int opened = 1, int closed = 1)
{
    QJsonArray o, c;
    for (int i = 0; i < opened; ++i)
        o.append(connection(u"i1"_s, i + 1));
    for (int i = 0; i < closed; ++i)
        c.append(QJsonObject{{u"instance"_s, u"i2"_s}, {u"id"_s, i + 100}});
    return {{u"type"_s, u"connections"_s}, {u"seq"_s, seq}, {u"opened"_s, o}, {u"closed"_s, c}};
}

QJsonObject report(qint64 seq, const char *type = "report_filed", qint64 id = 9)
{
    return {{u"type"_s, QLatin1StringView(type)}, {u"seq"_s, seq},
            {u"report"_s, QJsonObject{{u"id"_s, id}, {u"reason"_s, u"hakaret"_s}, {u"state"_s, u"open"_s},
                                      {u"resolved"_s, false}}}};
}

std::optional<StreamFrame> parse(const QByteArray &text)
{
    return StreamFrameParser::parse(text);
}

// The object with `key` set to `value` (or removed, for an undefined value).
QJsonObject with(QJsonObject o, const QString &key, const QJsonValue &value)
{
    if (value.isUndefined())
        o.remove(key);
    else
        o.insert(key, value);
    return o;
}

// The number `digits` written as JSON text (past what a double holds).
QByteArray withSeqText(const QByteArray &digits)
{
    return R"({"type":"connections_reset","seq":)" + digits + "}";
}

} // namespace

class tst_ConsoleStream : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyFrameOfTheProtocol();
    void seqAtTheEdges_data();
    void seqAtTheEdges();
    void lengthAtTheLimit();
    void truncatedAtEveryByte();
    void invalidUtf8();
    void wrongTypes_data();
    void wrongTypes();
    void tooManyElements();
    void cursorFollowsSeq();

    void streamGoesLiveWithTheToken();
    void streamResumesAfterADrop();
    void malformedFrameResumesFromTheLastGoodSeq();
    void gapResumes();
    void unauthorizedFallsBackToPolling();

private:
    // A WebSocket server on loopback that records each opening.
    struct FakeServer;
};

void tst_ConsoleStream::everyFrameOfTheProtocol()
{
    const auto w = parse(json(welcome(41, u"i1:1"_s, true)));
    QVERIFY(w);
    QCOMPARE(w->type, StreamFrame::Welcome);
    QCOMPARE(w->seq, 41);
    QCOMPARE(w->stream, u"i1:1"_s);
    QCOMPARE(w->instance, u"i1"_s);
    QCOMPARE(w->heartbeatS, 30);
    QVERIFY(w->resumed);
    QVERIFY(parse(json(welcome(0)))); // a stream with no frame yet

    const auto t = parse(json(tick(42, 3)));
    QVERIFY(t);
    QCOMPARE(t->type, StreamFrame::Tick);
    QCOMPARE(t->instances.size(), 3);
    QCOMPARE(t->instances[1].id, u"i2"_s);
    QCOMPARE(t->instances[1].state, u"ok"_s);
    QVERIFY(t->instances[1].point);
    QCOMPARE(*t->instances[1].point->messagesIn, 5.0);
    QCOMPARE(*t->cluster->messagesOut, 12.0);
    QCOMPARE(*t->cluster->ackP95Ms, 12.5);
    QVERIFY(!t->cluster->ackP99Ms); // null: no ack in that second
    QCOMPARE(t->atMs, QDateTime::fromString(u"2026-12-03T17:00:01.000Z"_s, Qt::ISODateWithMs).toMSecsSinceEpoch());
    // An instance before its first second has no point.
    QJsonObject fresh = tick(43, 1);
    QJsonArray list = fresh[u"instances"_s].toArray();
    list[0] = with(list[0].toObject(), u"point"_s, QJsonValue());
    fresh[u"instances"_s] = list;
    QVERIFY(!parse(json(fresh))->instances[0].point);

    const auto c = parse(json(connections(44, 2, 3)));
    QVERIFY(c);
    QCOMPARE(c->opened.size(), 2);
    QCOMPARE(c->closed.size(), 3);
    QCOMPARE(c->closed[2].instance, u"i2"_s);
    QCOMPARE(c->closed[2].id, 102);

    QCOMPARE(parse(json(report(45)))->type, StreamFrame::ReportFiled);
    QCOMPARE(parse(json(report(46, "report_resolved")))->object.value(u"id"_s).toInteger(), 9);
    const auto m = parse(json({{u"type"_s, u"moderation"_s}, {u"seq"_s, 47},
                               {u"entry"_s, QJsonObject{{u"id"_s, 3}, {u"action"_s, u"ban"_s}}}}));
    QCOMPARE(m->type, StreamFrame::Moderation);
    QCOMPARE(m->object.value(u"action"_s).toString(), u"ban"_s);
    QCOMPARE(parse(R"({"type":"connections_reset","seq":48})")->type, StreamFrame::ConnectionsReset);

    // Outside the stream: no seq.
    const auto pong = parse(R"({"type":"pong","ts":1})");
    QCOMPARE(pong->type, StreamFrame::Pong);
    QCOMPARE(pong->seq, 0);
    const auto error = parse(R"({"type":"error","code":"forbidden","message":"administrators only"})");
    QCOMPARE(error->type, StreamFrame::Error);
    QCOMPARE(error->code, u"forbidden"_s);
    // A type of a later version: numbered, ignored; fields not known: ignored.
    const auto later = parse(R"({"type":"instance_joined","seq":49,"whatever":[1,2]})");
    QCOMPARE(later->type, StreamFrame::Unknown);
    QCOMPARE(later->seq, 49);
    QVERIFY(parse(json(with(report(50), u"extra"_s, QJsonObject{{u"a"_s, 1}}))));
}

void tst_ConsoleStream::seqAtTheEdges_data()
{
    QTest::addColumn<QByteArray>("digits");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("0") << QByteArray("0") << false; // only welcome may say 0
    QTest::newRow("1") << QByteArray("1") << true;
    QTest::newRow("2^53-1") << QByteArray("9007199254740991") << true;
    QTest::newRow("2^53") << QByteArray("9007199254740992") << false;
    QTest::newRow("2^63") << QByteArray("9223372036854775808") << false;
    QTest::newRow("2^64-1") << QByteArray("18446744073709551615") << false;
    QTest::newRow("-1") << QByteArray("-1") << false;
    QTest::newRow("1.5") << QByteArray("1.5") << false;
    QTest::newRow("1e400") << QByteArray("1e400") << false;
    QTest::newRow("string") << QByteArray("\"1\"") << false;
    QTest::newRow("null") << QByteArray("null") << false;
    QTest::newRow("true") << QByteArray("true") << false;
}

void tst_ConsoleStream::seqAtTheEdges()
{
    QFETCH(QByteArray, digits);
    QFETCH(bool, accepted);
    QString why;
    const auto f = StreamFrameParser::parse(withSeqText(digits), &why);
    QCOMPARE(bool(f), accepted);
    if (!accepted)
        QVERIFY(!why.isEmpty());
    // No seq at all: refused too (it is part of the stream).
    QVERIFY(!parse(R"({"type":"tick","t":"2026-12-03T17:00:01Z","instances":[],"cluster":null})"));
}

void tst_ConsoleStream::lengthAtTheLimit()
{
    QVERIFY(!parse(QByteArray()));
    const QByteArray frame = R"({"type":"connections_reset","seq":1})";
    // White space after the object is JSON's: the frame is exactly the limit.
    QByteArray atLimit = frame + QByteArray(StreamFrameParser::kMaxFrameBytes - frame.size(), ' ');
    QCOMPARE(atLimit.size(), StreamFrameParser::kMaxFrameBytes);
    QVERIFY(parse(atLimit));
    QVERIFY(!parse(atLimit + ' '));
}

void tst_ConsoleStream::truncatedAtEveryByte()
{
    for (const QByteArray &frame :
         {json(welcome(3)), json(tick(4, 2)), json(connections(5, 2, 2)), json(report(6))}) {
        QVERIFY(parse(frame));
        for (qsizetype n = 0; n < frame.size(); ++n)
            QVERIFY2(!parse(frame.left(n)), frame.left(n).constData());
    }
}

void tst_ConsoleStream::invalidUtf8()
{
    // A lone continuation byte, an overlong '/', a surrogate, a cut sequence.
    for (const QByteArray &bad : {QByteArray("\x80"), QByteArray("\xc0\xaf"), QByteArray("\xed\xa0\x80"),
                                  QByteArray("\xc3")}) {
        const QByteArray frame = R"({"type":"report_filed","seq":1,"report":{"id":1,"reason":")" + bad + R"("}})";
        QVERIFY2(!parse(frame), bad.toHex().constData());
    }
    // The same with Turkish text is fine.
    QVERIFY(parse(R"({"type":"report_filed","seq":1,"report":{"id":1,"reason":"küfür ışık"}})"));
}

void tst_ConsoleStream::wrongTypes_data()
{
    QTest::addColumn<QByteArray>("frame");
    const auto row = [](const char *name, const QJsonObject &o) { QTest::newRow(name) << json(o); };
    QTest::newRow("array") << QByteArray("[1]");
    QTest::newRow("number") << QByteArray("1");
    QTest::newRow("two objects") << QByteArray(R"({"type":"pong"}{"type":"pong"})");
    row("type missing", with(report(1), u"type"_s, QJsonValue::Undefined));
    row("type number", with(report(1), u"type"_s, 3));
    row("type empty", with(report(1), u"type"_s, u""_s));
    row("welcome stream empty", with(welcome(1), u"stream"_s, u""_s));
    row("welcome stream long", with(welcome(1), u"stream"_s, QString(257, u'a')));
    row("welcome resumed string", with(welcome(1), u"resumed"_s, u"true"_s));
    row("welcome heartbeat 0", with(welcome(1), u"heartbeat_s"_s, 0));
    row("welcome user missing", with(welcome(1), u"user"_s, QJsonValue::Undefined));
    row("tick t bad", with(tick(1), u"t"_s, u"yesterday"_s));
    row("tick instances object", with(tick(1), u"instances"_s, QJsonObject()));
    row("tick cluster number", with(tick(1), u"cluster"_s, 5));
    row("tick cluster negative rate", with(tick(1), u"cluster"_s, with(point(1, 1), u"messages_in"_s, -1)));
    row("tick cluster latency string", with(tick(1), u"cluster"_s, with(point(1, 1), u"ack_p95_ms"_s, u"3"_s)));
    const auto tickWith = [](const QJsonValue &first) {
        QJsonObject t = tick(1, 2);
        QJsonArray list = t[u"instances"_s].toArray();
        list[0] = first;
        t[u"instances"_s] = list;
        return t;
    };
    row("instance not object", tickWith(3));
    row("instance id empty", tickWith(with(instance(u"i1"_s), u"id"_s, u""_s)));
    row("instance state missing", tickWith(with(instance(u"i1"_s), u"state"_s, QJsonValue::Undefined)));
    row("instance twice", tickWith(instance(u"i2"_s)));
    row("instance point array", tickWith(with(instance(u"i1"_s), u"point"_s, QJsonArray())));
    row("report id 0", with(report(1), u"report"_s, QJsonObject{{u"id"_s, 0}}));
    row("report id string", with(report(1), u"report"_s, QJsonObject{{u"id"_s, u"9"_s}}));
    row("report missing", with(report(1), u"report"_s, QJsonValue::Undefined));
    row("entry missing", QJsonObject{{u"type"_s, u"moderation"_s}, {u"seq"_s, 1}});
    row("opened not array", with(connections(1), u"opened"_s, QJsonObject()));
    row("closed missing", with(connections(1), u"closed"_s, QJsonValue::Undefined));
    row("opened without instance",
        with(connections(1), u"opened"_s, QJsonArray{with(connection(u"i1"_s, 1), u"instance"_s, QJsonValue::Undefined)}));
    row("closed id negative",
        with(connections(1), u"closed"_s, QJsonArray{QJsonObject{{u"instance"_s, u"i1"_s}, {u"id"_s, -1}}}));
    row("closed id 2^64", with(connections(1), u"closed"_s,
                                QJsonArray{QJsonObject{{u"instance"_s, u"i1"_s}, {u"id"_s, 18446744073709551615.0}}}));
    row("error code missing", QJsonObject{{u"type"_s, u"error"_s}, {u"message"_s, u"x"_s}});
    row("pong seq bad", QJsonObject{{u"type"_s, u"pong"_s}, {u"seq"_s, u"1"_s}});
}

void tst_ConsoleStream::wrongTypes()
{
    QFETCH(QByteArray, frame);
    QString why;
    QVERIFY2(!StreamFrameParser::parse(frame, &why), frame.constData());
    QVERIFY(!why.isEmpty());
}

void tst_ConsoleStream::tooManyElements()
{
    QVERIFY(parse(json(tick(1, int(StreamFrameParser::kMaxInstances)))));
    QVERIFY(!parse(json(tick(1, int(StreamFrameParser::kMaxInstances) + 1))));
    const int cap = int(StreamFrameParser::kMaxConnectionEvents);
    QVERIFY(parse(json(connections(1, cap, cap))));
    QVERIFY(!parse(json(connections(1, cap + 1, 0))));
    QVERIFY(!parse(json(connections(1, 0, cap + 1))));
}

void tst_ConsoleStream::cursorFollowsSeq()
{
    StreamCursor cursor;
    QCOMPARE(cursor.accept(*parse(json(report(5)))), StreamCursor::Violation); // nothing before welcome
    QCOMPARE(cursor.accept(*parse(R"({"type":"error","code":"forbidden","message":""})")), StreamCursor::Apply);
    QCOMPARE(cursor.accept(*parse(json(welcome(10)))), StreamCursor::Apply);
    QCOMPARE(cursor.lastSeq(), 10);
    QCOMPARE(cursor.accept(*parse(json(tick(11)))), StreamCursor::Apply);
    QCOMPARE(cursor.accept(*parse(json(tick(11)))), StreamCursor::Duplicate);
    QCOMPARE(cursor.accept(*parse(json(tick(9)))), StreamCursor::Duplicate);
    QCOMPARE(cursor.accept(*parse(R"({"type":"pong"})")), StreamCursor::Apply);
    QCOMPARE(cursor.accept(*parse(json(tick(13)))), StreamCursor::Gap);
    QCOMPARE(cursor.lastSeq(), 11);
    QCOMPARE(cursor.accept(*parse(json(welcome(11)))), StreamCursor::Violation); // one welcome per connection
    cursor.disconnected();
    QVERIFY(cursor.canResume());
    QCOMPARE(cursor.stream(), u"i1:1764780000000"_s);
    QCOMPARE(cursor.lastSeq(), 11);
    QCOMPARE(cursor.accept(*parse(json(welcome(11, cursor.stream(), true)))), StreamCursor::Apply);
    QCOMPARE(cursor.accept(*parse(json(tick(12)))), StreamCursor::Apply);
    cursor.forget();
    QVERIFY(!cursor.canResume());
}

// ---- AdminStream against a server in this process ---------------------------

struct tst_ConsoleStream::FakeServer
{
    QWebSocketServer server{u"fake"_s, QWebSocketServer::NonSecureMode};
    QList<QWebSocket *> sockets;
    QList<QNetworkRequest> openings;

    bool listen()
    {
        if (!server.listen(QHostAddress::LocalHost))
            return false;
        QObject::connect(&server, &QWebSocketServer::newConnection, &server, [this] {
            while (QWebSocket *s = server.nextPendingConnection()) {
                s->setParent(&server);
                openings.append(s->request());
                sockets.append(s);
            }
        });
        return true;
    }
    QUrl url() const { return QUrl(u"http://127.0.0.1:%1"_s.arg(server.serverPort())); }
    QWebSocket *last() const { return sockets.isEmpty() ? nullptr : sockets.last(); }
    void send(const QJsonObject &frame) { last()->sendTextMessage(QString::fromUtf8(json(frame))); }
    QUrlQuery lastQuery() const { return QUrlQuery(openings.last().url()); }
};

namespace {

struct Client
{
    AdminClient rest;
    std::unique_ptr<AdminStream> stream;
    explicit Client(const QUrl &server)
    {
        rest.setServer(server);
        rest.setToken(u"token-of-the-admin"_s);
        stream = std::make_unique<AdminStream>(&rest);
        stream->setBackoffLimitMs(1000); // attempts after ~1 s
    }
};

} // namespace

void tst_ConsoleStream::streamGoesLiveWithTheToken()
{
    FakeServer fake;
    QVERIFY(fake.listen());
    Client c(fake.url());
    QSignalSpy reload(c.stream.get(), &AdminStream::reloadNeeded);
    QSignalSpy ticks(c.stream.get(), &AdminStream::tick);
    c.stream->start();
    QCOMPARE(c.stream->state(), AdminStream::Connecting);
    QTRY_COMPARE(fake.sockets.size(), 1);
    QCOMPARE(fake.openings[0].url().path(), u"/ws/admin"_s);
    QCOMPARE(fake.openings[0].rawHeader("Authorization"), QByteArray("Bearer token-of-the-admin"));
    QVERIFY(!fake.lastQuery().hasQueryItem(u"stream"_s)); // nothing to resume yet
    fake.send(welcome(7));
    QTRY_COMPARE(c.stream->state(), AdminStream::Live);
    QCOMPARE(c.stream->instance(), u"i1"_s);
    QVERIFY(c.stream->statusText().contains(u"i1"_s));
    QCOMPARE(reload.size(), 1); // a new stream: the listings are loaded
    fake.send(tick(8));
    QTRY_COMPARE(ticks.size(), 1);
    QCOMPARE(ticks[0][0].value<StreamFrame>().instances.size(), 2);
    c.stream->stop();
    QCOMPARE(c.stream->state(), AdminStream::Off);
}

void tst_ConsoleStream::streamResumesAfterADrop()
{
    FakeServer fake;
    QVERIFY(fake.listen());
    Client c(fake.url());
    QSignalSpy reload(c.stream.get(), &AdminStream::reloadNeeded);
    QSignalSpy filed(c.stream.get(), &AdminStream::reportFiled);
    c.stream->start();
    QTRY_COMPARE(fake.sockets.size(), 1);
    fake.send(welcome(20, u"i1:5"_s));
    fake.send(report(21));
    QTRY_COMPARE(filed.size(), 1);
    fake.last()->close(QWebSocketProtocol::CloseCodeGoingAway);
    QTRY_COMPARE(c.stream->state(), AdminStream::Reconnecting);
    QVERIFY(c.stream->statusText().contains(u"reconnecting"_s));
    QTRY_COMPARE_WITH_TIMEOUT(fake.sockets.size(), 2, 5000);
    QCOMPARE(fake.lastQuery().queryItemValue(u"stream"_s), u"i1:5"_s);
    QCOMPARE(fake.lastQuery().queryItemValue(u"after"_s), u"21"_s);
    // Resumed: the missed frame follows, no reload.
    fake.send(welcome(21, u"i1:5"_s, true));
    fake.send(report(22, "report_filed", 10));
    QTRY_COMPARE(filed.size(), 2);
    QCOMPARE(c.stream->state(), AdminStream::Live);
    QCOMPARE(reload.size(), 1);
    // Another instance cannot resume it: a reload.
    fake.last()->close();
    QTRY_COMPARE_WITH_TIMEOUT(fake.sockets.size(), 3, 5000);
    QCOMPARE(fake.lastQuery().queryItemValue(u"after"_s), u"22"_s);
    fake.send(welcome(400, u"i2:9"_s, false));
    QTRY_COMPARE(reload.size(), 2);
    // "resumed" on another stream than asked is not believed either.
    fake.last()->close();
    QTRY_COMPARE_WITH_TIMEOUT(fake.sockets.size(), 4, 5000);
    fake.send(welcome(3, u"i3:1"_s, true));
    QTRY_COMPARE(reload.size(), 3);
}

void tst_ConsoleStream::malformedFrameResumesFromTheLastGoodSeq()
{
    FakeServer fake;
    QVERIFY(fake.listen());
    Client c(fake.url());
    QSignalSpy changed(c.stream.get(), &AdminStream::connectionsChanged);
    c.stream->start();
    QTRY_COMPARE(fake.sockets.size(), 1);
    fake.send(welcome(1));
    fake.send(connections(2));
    QTRY_COMPARE(changed.size(), 1);
    // Half a frame, then one more good one: neither reaches the views.
    fake.last()->sendTextMessage(QString::fromUtf8(json(connections(3)).chopped(3)));
    fake.send(connections(3));
    QTRY_VERIFY(c.stream->refusedFrames() == 1);
    QTRY_COMPARE_WITH_TIMEOUT(fake.sockets.size(), 2, 5000);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(fake.lastQuery().queryItemValue(u"after"_s), u"2"_s);
}

void tst_ConsoleStream::gapResumes()
{
    FakeServer fake;
    QVERIFY(fake.listen());
    Client c(fake.url());
    QSignalSpy ticks(c.stream.get(), &AdminStream::tick);
    c.stream->start();
    QTRY_COMPARE(fake.sockets.size(), 1);
    fake.send(welcome(1));
    fake.send(tick(2));
    fake.send(tick(2)); // a repeat: ignored
    fake.send(tick(4)); // 3 is missing
    QTRY_COMPARE_WITH_TIMEOUT(fake.sockets.size(), 2, 5000);
    QCOMPARE(ticks.size(), 1);
    QCOMPARE(fake.lastQuery().queryItemValue(u"after"_s), u"2"_s);
}

void tst_ConsoleStream::unauthorizedFallsBackToPolling()
{
    FakeServer fake;
    QVERIFY(fake.listen());
    Client c(fake.url());
    c.stream->start();
    QTRY_COMPARE(fake.sockets.size(), 1);
    fake.send({{u"type"_s, u"error"_s}, {u"code"_s, u"unauthorized"_s}, {u"message"_s, u"bad token"_s}});
    fake.last()->close(QWebSocketProtocol::CloseCode(4001));
    QTRY_COMPARE(c.stream->state(), AdminStream::Polling);
    QVERIFY(c.stream->statusText().contains(u"polling"_s));
    // No server at all: reconnecting, then polling after a few attempts.
    const QUrl gone = fake.url();
    fake.server.close();
    for (QWebSocket *s : std::as_const(fake.sockets))
        s->abort();
    Client d(gone);
    d.stream->setAttemptsBeforePolling(1);
    d.stream->setBackoffLimitMs(200);
    d.stream->start();
    QTRY_COMPARE(d.stream->state(), AdminStream::Reconnecting);
    QTRY_COMPARE_WITH_TIMEOUT(d.stream->state(), AdminStream::Polling, 5000);
}

QTEST_MAIN(tst_ConsoleStream)
#include "tst_console_stream.moc"
