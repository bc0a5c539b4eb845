// The admin stream (GET /ws/admin) against three real instances on one
// PostgreSQL and one Redis: welcome and ticks with every instance at least
// once a second, a report filed through another instance within a second,
// resolutions and every moderation action, connection events while watched,
// a resume that gets exactly the missed frames, a resume against another
// instance (resumed=false), the refusals (not an admin 4003, bad token
// 4001), the client frames and their 4 KiB limit, and an instance stopped
// with SIGSTOP shown as "stale". Runs once per WebSocket transport
// (tst_admin_stream_qt: SANAYICIN_TEST_DAEMON_ARGS="--websocket qt").

#include "daemon_process.h"
#include "http_client.h"
#include "service_processes.h"
#include "test_env.h"
#include "ws_client.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QUrlQuery>
#include <QtTest>
#include <csignal>
#include <memory>

using namespace sanayicin::test;
using namespace Qt::StringLiterals;

namespace {

QJsonArray items(const HttpResult &r)
{
    return r.json().value(u"items"_s).toArray();
}

bool isStreamFrame(const QJsonObject &f)
{
    return f.contains(u"seq"_s);
}

// The instances of a tick: id -> the TickInstance.
QMap<QString, QJsonObject> tickInstances(const QJsonObject &tick)
{
    QMap<QString, QJsonObject> out;
    for (const auto &v : tick.value(u"instances"_s).toArray())
        out.insert(v.toObject().value(u"id"_s).toString(), v.toObject());
    return out;
}

} // namespace

class tst_AdminStream : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();
    void welcomeThenTicksWithEveryInstance();
    void reportOnAnotherInstanceWithinASecond();
    void connectionEventsWhileWatched();
    void manyConnectionsInOneTickAreAReset();
    void resumeGetsExactlyTheMissedFrames();
    void resumeAgainstAnotherInstanceStartsAfresh();
    void refusals_data();
    void refusals();
    void clientFramesAndTheirLimit();
    void stoppedInstanceIsStale();

private:
    HttpClient &http(int i) { return *m_http[size_t(i)]; }
    QUrl streamUrl(int i, const QString &stream = {}, qint64 after = -1) const;
    // Opens an admin stream on instance i and returns it once `welcome`
    // came (null on failure; the welcome in `welcome`).
    std::unique_ptr<WsClient> open(int i, QJsonObject &welcome, const QString &stream = {},
                                   qint64 after = -1);
    // The next frame of the stream, checking that seqs are consecutive.
    QJsonObject nextStreamFrame(WsClient &ws, qint64 &lastSeq, int timeoutMs = 5000);

    QTemporaryDir m_dir;
    QString m_database;
    RedisServer m_redis;
    std::vector<std::unique_ptr<DaemonProcess>> m_daemons;
    std::vector<std::unique_ptr<HttpClient>> m_http;
    HttpClient::Account m_admin;
};

void tst_AdminStream::initTestCase()
{
    QString error;
    m_database = freshDatabaseUrl(u"postgresql"_s, m_dir.path());
    QVERIFY2(m_redis.start(error), qPrintable(error));
    QVERIFY2(DaemonProcess::createUser(m_database, u"stream_admin"_s, u"admin-password"_s, true,
                                       error),
             qPrintable(error));
    for (int i = 0; i < 3; ++i) {
        auto d = std::make_unique<DaemonProcess>();
        QStringList args = DaemonProcess::defaultArgs();
        args << u"--redis"_s << m_redis.url() << u"--instance-id"_s << u"node%1"_s.arg(i + 1);
        if (i == 2) // manyConnectionsInOneTickAreAReset watches there
            args << u"--admin-stream-connections-cap"_s << u"2"_s;
        QVERIFY2(d->start(m_database, args, error), qPrintable(error));
        m_http.push_back(std::make_unique<HttpClient>(d->httpUrl(QString())));
        m_daemons.push_back(std::move(d));
    }
    m_admin = http(0).login(u"stream_admin"_s, u"admin-password"_s);
    QVERIFY(!m_admin.token.isEmpty());
    for (int i = 0; i < 3; ++i)
        QTRY_COMPARE_WITH_TIMEOUT(items(http(i).get(u"/api/v1/admin/instances"_s, m_admin.token)).size(),
                                  3, 15000);
}

void tst_AdminStream::cleanupTestCase()
{
    for (auto &d : m_daemons)
        if (d) {
            ::kill(pid_t(d->pid()), SIGCONT);
            QCOMPARE(d->terminate(), 0);
        }
}

void tst_AdminStream::cleanup()
{
    if (!QTest::currentTestFailed())
        return;
    for (size_t i = 0; i < m_daemons.size(); ++i)
        qWarning().noquote() << "---- log of node" << i + 1 << "----\n"
                             << QString::fromUtf8(m_daemons[i]->log().right(4000));
}

QUrl tst_AdminStream::streamUrl(int i, const QString &stream, qint64 after) const
{
    QUrl url = m_daemons[size_t(i)]->wsUrl();
    url.setPath(u"/ws/admin"_s);
    QUrlQuery q;
    if (!stream.isEmpty())
        q.addQueryItem(u"stream"_s, QString::fromLatin1(QUrl::toPercentEncoding(stream)));
    if (after >= 0)
        q.addQueryItem(u"after"_s, QString::number(after));
    url.setQuery(q);
    return url;
}

std::unique_ptr<WsClient> tst_AdminStream::open(int i, QJsonObject &welcome, const QString &stream,
                                                qint64 after)
{
    auto ws = std::make_unique<WsClient>();
    if (!ws->open(streamUrl(i, stream, after), m_admin.token))
        return nullptr;
    welcome = ws->next(10000);
    if (welcome.value(u"type"_s).toString() != u"welcome")
        return nullptr;
    return ws;
}

QJsonObject tst_AdminStream::nextStreamFrame(WsClient &ws, qint64 &lastSeq, int timeoutMs)
{
    const QJsonObject f = ws.nextWhere(isStreamFrame, timeoutMs);
    if (f.isEmpty())
        return f;
    const qint64 seq = f.value(u"seq"_s).toInteger();
    if (seq != lastSeq + 1) {
        qWarning() << "seq" << seq << "after" << lastSeq;
        return {};
    }
    lastSeq = seq;
    return f;
}

void tst_AdminStream::welcomeThenTicksWithEveryInstance()
{
    QJsonObject welcome;
    auto ws = open(0, welcome);
    QVERIFY(ws);
    QVERIFY(welcome.value(u"stream"_s).toString().startsWith(u"node1:"_s));
    QCOMPARE(welcome.value(u"instance"_s).toString(), u"node1"_s);
    QCOMPARE(welcome.value(u"user"_s).toObject().value(u"id"_s).toInteger(), m_admin.id);
    QCOMPARE(welcome.value(u"user"_s).toObject().value(u"role"_s).toString(), u"admin"_s);
    QVERIFY(welcome.value(u"heartbeat_s"_s).toInt() > 0);
    QCOMPARE(welcome.value(u"resumed"_s).toBool(true), false);
    qint64 seq = welcome.value(u"seq"_s).toInteger();

    // Every instance, healthy, each with its latest point, soon.
    QJsonObject tick;
    QElapsedTimer waited;
    waited.start();
    for (;;) {
        const QJsonObject f = nextStreamFrame(*ws, seq);
        QVERIFY2(!f.isEmpty(), "frames stopped or skipped a seq");
        if (f.value(u"type"_s).toString() != u"tick")
            continue;
        const auto all = tickInstances(f);
        bool whole = all.size() == 3;
        for (const QJsonObject &i : all)
            whole = whole && i.value(u"state"_s).toString() == u"ok" && i.value(u"point"_s).isObject();
        if (whole) {
            tick = f;
            break;
        }
        QVERIFY2(waited.elapsed() < 15000, QJsonDocument(f).toJson().constData());
    }
    // This instance first, then the others by id.
    const QJsonArray list = tick.value(u"instances"_s).toArray();
    QCOMPARE(list[0].toObject().value(u"id"_s).toString(), u"node1"_s);
    QCOMPARE(list[1].toObject().value(u"id"_s).toString(), u"node2"_s);
    QCOMPARE(list[2].toObject().value(u"id"_s).toString(), u"node3"_s);
    qint64 connections = 0;
    for (const auto &v : list) {
        const QJsonObject i = v.toObject();
        for (const char *field : {"version", "started_at", "listen", "connections", "online_users",
                                  "writer_backlog", "draining"})
            QVERIFY2(i.contains(QLatin1StringView(field)), field);
        connections += i.value(u"point"_s).toObject().value(u"connections"_s).toInteger();
    }
    QCOMPARE(tick.value(u"cluster"_s).toObject().value(u"connections"_s).toInteger(), connections);
    QVERIFY(connections >= 1); // this stream at least

    // At least once a second: five ticks in a row, none more than a second
    // and a half after the one before (timers on a loaded machine).
    QElapsedTimer between;
    between.start();
    for (int ticks = 0; ticks < 5;) {
        const QJsonObject f = nextStreamFrame(*ws, seq, 3000);
        QVERIFY2(!f.isEmpty(), "no frame for 3 s or a seq skipped");
        if (f.value(u"type"_s).toString() != u"tick")
            continue;
        QVERIFY2(between.restart() < 1500, "more than 1.5 s between two ticks");
        QCOMPARE(tickInstances(f).size(), 3);
        ++ticks;
    }
}

void tst_AdminStream::reportOnAnotherInstanceWithinASecond()
{
    QJsonObject welcome;
    auto ws = open(0, welcome);
    QVERIFY(ws);
    const auto a = http(1).registerUser(u"rapor_a"_s);
    const auto b = http(1).registerUser(u"rapor_b"_s);
    const qint64 conversation = http(1).conversation(a, b.id);
    QVERIFY(conversation > 0);
    const HttpResult sent = http(1).post(u"/api/v1/conversations/%1/messages"_s.arg(conversation),
                                         {{u"body"_s, u"kaba bir söz"_s}, {u"client_msg_id"_s, u"r1"_s}},
                                         a.token);
    QCOMPARE(sent.status, 201);
    const qint64 message = sent.json().value(u"id"_s).toInteger();

    QElapsedTimer clock;
    clock.start();
    const HttpResult reported =
        http(1).post(u"/api/v1/messages/%1/report"_s.arg(message), {{u"reason"_s, u"hakaret"_s}}, b.token);
    QCOMPARE(reported.status, 202);
    const qint64 report = reported.json().value(u"id"_s).toInteger();
    const QJsonObject filed = ws->nextWhere(
        [report](const QJsonObject &f) {
            return f.value(u"type"_s).toString() == u"report_filed"
                   && f.value(u"report"_s).toObject().value(u"id"_s).toInteger() == report;
        },
        1000 - int(clock.elapsed()));
    QVERIFY2(!filed.isEmpty(), "no report_filed within a second");
    qInfo() << "report_filed on node1" << clock.elapsed() << "ms after the report went to node2";
    const QJsonObject r = filed.value(u"report"_s).toObject();
    QCOMPARE(r.value(u"state"_s).toString(), u"open"_s);
    QCOMPARE(r.value(u"message"_s).toObject().value(u"id"_s).toInteger(), message);
    QCOMPARE(r.value(u"reporter"_s).toObject().value(u"id"_s).toInteger(), b.id);

    // Resolved through the third: report_resolved and its log entry.
    const HttpResult resolved = http(2).post(u"/api/v1/admin/reports/%1/resolve"_s.arg(report),
                                             {{u"action"_s, u"actioned"_s}}, m_admin.token);
    QCOMPARE(resolved.status, 200);
    const QJsonObject done = ws->nextOfType(u"report_resolved"_s, 3000);
    QCOMPARE(done.value(u"report"_s).toObject().value(u"id"_s).toInteger(), report);
    QCOMPARE(done.value(u"report"_s).toObject().value(u"state"_s).toString(), u"actioned"_s);
    const QJsonObject entry = ws->nextOfType(u"moderation"_s, 3000).value(u"entry"_s).toObject();
    QCOMPARE(entry.value(u"action"_s).toString(), u"resolve_report"_s);
    QCOMPARE(entry.value(u"report"_s).toInteger(), report);
    QCOMPARE(entry.value(u"actor"_s).toObject().value(u"id"_s).toInteger(), m_admin.id);

    // Every action of the log, from any instance: a ban through node3, an
    // unban through node2, a deletion through node1.
    QCOMPARE(http(2).post(u"/api/v1/admin/users/%1/ban"_s.arg(a.id), {}, m_admin.token).status, 204);
    QCOMPARE(http(1).post(u"/api/v1/admin/users/%1/unban"_s.arg(a.id), {}, m_admin.token).status, 204);
    QCOMPARE(http(0).del(u"/api/v1/admin/messages/%1"_s.arg(message), m_admin.token).status, 204);
    QStringList actions;
    for (int i = 0; i < 3; ++i)
        actions << ws->nextOfType(u"moderation"_s, 3000).value(u"entry"_s).toObject().value(u"action"_s).toString();
    QCOMPARE(actions, (QStringList{u"ban"_s, u"unban"_s, u"delete_message"_s}));
}

void tst_AdminStream::connectionEventsWhileWatched()
{
    QJsonObject welcome;
    auto ws = open(0, welcome);
    QVERIFY(ws);
    const auto u = http(2).registerUser(u"baglanan"_s);
    auto chat = std::make_unique<WsClient>();
    QVERIFY(!chat->connectAndHello(m_daemons[2]->wsUrl(), u.token).isEmpty());
    qint64 id = 0;
    const QJsonObject opened = ws->nextWhere(
        [&](const QJsonObject &f) {
            if (f.value(u"type"_s).toString() != u"connections")
                return false;
            for (const auto &v : f.value(u"opened"_s).toArray())
                if (v.toObject().value(u"user_id"_s).toInteger() == u.id) {
                    id = v.toObject().value(u"id"_s).toInteger();
                    return true;
                }
            return false;
        },
        5000);
    QVERIFY2(!opened.isEmpty(), "no connections frame with the new connection");
    QJsonObject row;
    for (const auto &v : opened.value(u"opened"_s).toArray())
        if (v.toObject().value(u"id"_s).toInteger() == id)
            row = v.toObject();
    QCOMPARE(row.value(u"instance"_s).toString(), u"node3"_s);
    QCOMPARE(row.value(u"username"_s).toString(), u"baglanan"_s);
    QCOMPARE(row.value(u"authenticated"_s).toBool(), true);
    QVERIFY(row.value(u"opened_at"_s).isString());

    chat->close();
    const QJsonObject closed = ws->nextWhere(
        [&](const QJsonObject &f) {
            if (f.value(u"type"_s).toString() != u"connections")
                return false;
            for (const auto &v : f.value(u"closed"_s).toArray())
                if (v.toObject().value(u"id"_s).toInteger() == id
                    && v.toObject().value(u"instance"_s).toString() == u"node3")
                    return true;
            return false;
        },
        5000);
    QVERIFY2(!closed.isEmpty(), "no connections frame with the closed connection");
}

// node3 lists at most two connection events a tick: eight connections
// opened at once on node2 come as connections_reset there (the console
// reloads), while node1 (cap 500) lists them.
void tst_AdminStream::manyConnectionsInOneTickAreAReset()
{
    QJsonObject welcome;
    auto capped = open(2, welcome);
    QVERIFY(capped);
    auto full = open(0, welcome);
    QVERIFY(full);
    std::vector<std::unique_ptr<WsClient>> chats;
    QSet<qint64> users;
    for (int i = 0; i < 8; ++i) {
        const auto u = http(1).registerUser(u"kalabalik_%1"_s.arg(i));
        users.insert(u.id);
        chats.push_back(std::make_unique<WsClient>());
        chats.back()->open(m_daemons[1]->wsUrl(), u.token);
    }
    for (auto &c : chats)
        QVERIFY(!c->nextOfType(u"hello"_s, 10000).isEmpty());
    QVERIFY(!capped->nextOfType(u"connections_reset"_s, 5000).isEmpty());
    QSet<qint64> listed;
    QVERIFY(WsClient::waitUntil(
        [&] {
            while (true) {
                const QJsonObject f = full->nextOfType(u"connections"_s, 100);
                if (f.isEmpty())
                    break;
                for (const auto &v : f.value(u"opened"_s).toArray())
                    listed.insert(v.toObject().value(u"user_id"_s).toInteger());
            }
            return listed.contains(users);
        },
        5000));
}

void tst_AdminStream::resumeGetsExactlyTheMissedFrames()
{
    QJsonObject welcome;
    auto witness = open(0, welcome); // sees every frame meanwhile
    QVERIFY(witness);
    auto ws = open(0, welcome);
    QVERIFY(ws);
    const QString stream = welcome.value(u"stream"_s).toString();
    qint64 last = welcome.value(u"seq"_s).toInteger();
    QVERIFY(!nextStreamFrame(*ws, last, 3000).isEmpty());
    QVERIFY(!nextStreamFrame(*ws, last, 3000).isEmpty());
    ws->abort();
    // Missed: ticks and a moderation action on another instance.
    const auto target = http(1).registerUser(u"atilan"_s);
    QCOMPARE(http(1).post(u"/api/v1/admin/users/%1/kick"_s.arg(target.id), {}, m_admin.token).status, 204);
    const auto after = [&last](const char *type) {
        return [&last, type](const QJsonObject &f) {
            return f.value(u"type"_s).toString() == QLatin1StringView(type)
                   && f.value(u"seq"_s).toInteger() > last;
        };
    };
    QVERIFY(!witness->nextWhere(after("moderation"), 3000).isEmpty());
    QVERIFY(!witness->nextWhere(after("tick"), 3000).isEmpty());
    QVERIFY(!witness->nextWhere(after("tick"), 3000).isEmpty());

    auto again = open(0, welcome, stream, last);
    QVERIFY(again);
    QCOMPARE(welcome.value(u"resumed"_s).toBool(), true);
    QCOMPARE(welcome.value(u"stream"_s).toString(), stream);
    QCOMPARE(welcome.value(u"seq"_s).toInteger(), last);
    // Exactly what the witness got after `last`, in order, then live ones.
    const QList<QJsonObject> seen = witness->all();
    QList<QJsonObject> expected;
    for (const QJsonObject &f : seen)
        if (isStreamFrame(f) && f.value(u"seq"_s).toInteger() > last)
            expected << f;
    QVERIFY(expected.size() >= 3);
    bool sawKick = false;
    for (const QJsonObject &e : expected) {
        const QJsonObject got = nextStreamFrame(*again, last, 3000);
        QCOMPARE(got, e);
        sawKick = sawKick || got.value(u"entry"_s).toObject().value(u"action"_s).toString() == u"kick";
    }
    QVERIFY(sawKick);
    QVERIFY(!nextStreamFrame(*again, last, 3000).isEmpty()); // live, still consecutive

    // A seq this stream has not reached is no resume point.
    auto ahead = open(0, welcome, stream, last + 1000);
    QVERIFY(ahead);
    QCOMPARE(welcome.value(u"resumed"_s).toBool(true), false);
}

void tst_AdminStream::resumeAgainstAnotherInstanceStartsAfresh()
{
    QJsonObject welcome;
    auto ws = open(0, welcome);
    QVERIFY(ws);
    const QString stream = welcome.value(u"stream"_s).toString();
    qint64 last = welcome.value(u"seq"_s).toInteger();
    QVERIFY(!nextStreamFrame(*ws, last, 3000).isEmpty());
    auto elsewhere = open(1, welcome, stream, last);
    QVERIFY(elsewhere);
    QCOMPARE(welcome.value(u"resumed"_s).toBool(true), false);
    QVERIFY(welcome.value(u"stream"_s).toString().startsWith(u"node2:"_s));
    qint64 seq = welcome.value(u"seq"_s).toInteger();
    QVERIFY(!nextStreamFrame(*elsewhere, seq, 3000).isEmpty());
}

void tst_AdminStream::refusals_data()
{
    QTest::addColumn<QString>("who");
    QTest::addColumn<bool>("byFrame");
    QTest::addColumn<QString>("code");
    QTest::addColumn<int>("close");
    for (bool byFrame : {false, true}) {
        const char *how = byFrame ? "auth frame" : "header";
        QTest::addRow("customer, %s", how) << u"customer"_s << byFrame << u"forbidden"_s << 4003;
        QTest::addRow("tradesman, %s", how) << u"tradesman"_s << byFrame << u"forbidden"_s << 4003;
        QTest::addRow("bad token, %s", how) << u"bad"_s << byFrame << u"unauthorized"_s << 4001;
    }
}

void tst_AdminStream::refusals()
{
    QFETCH(QString, who);
    QFETCH(bool, byFrame);
    QFETCH(QString, code);
    QFETCH(int, close);
    static int n = 0;
    QString token = u"x"_s.repeated(43);
    if (who != u"bad")
        token = http(1).registerUser(u"ret_%1"_s.arg(++n), who).token;
    WsClient ws;
    // With the header the refusal may close the socket before open() looks.
    const bool opened = ws.open(streamUrl(1), byFrame ? QString() : token);
    if (byFrame) {
        QVERIFY(opened);
        ws.send({{u"type"_s, u"auth"_s}, {u"token"_s, token}});
    }
    const QJsonObject error = ws.next(10000);
    QCOMPARE(error.value(u"type"_s).toString(), u"error"_s);
    QCOMPARE(error.value(u"code"_s).toString(), code);
    QVERIFY(ws.waitClosed());
    QCOMPARE(ws.closeCode(), close);
    QVERIFY(ws.received(u"welcome"_s).isEmpty());
}

void tst_AdminStream::clientFramesAndTheirLimit()
{
    WsClient ws;
    QVERIFY(ws.open(streamUrl(2)));
    // Before auth only auth.
    ws.send({{u"type"_s, u"ping"_s}});
    QCOMPARE(ws.next().value(u"code"_s).toString(), u"unauthorized"_s);
    ws.send({{u"type"_s, u"auth"_s}, {u"token"_s, m_admin.token}});
    QCOMPARE(ws.next(10000).value(u"type"_s).toString(), u"welcome"_s);
    ws.send({{u"type"_s, u"ping"_s}, {u"ts"_s, 12345}});
    const QJsonObject pong = ws.nextOfType(u"pong"_s);
    QCOMPARE(pong.value(u"ts"_s).toInt(), 12345);
    QVERIFY(!pong.contains(u"seq"_s));
    const auto badRequest = [&ws](const QString &text) {
        ws.sendText(text);
        const QJsonObject e = ws.nextOfType(u"error"_s);
        return e.value(u"code"_s).toString() == u"bad_request" && !e.contains(u"seq"_s);
    };
    QVERIFY(badRequest(uR"({"type":"sync"})"_s));
    QVERIFY(badRequest(uR"({"type":"send","conversation_id":1,"client_msg_id":"a","body":"b"})"_s));
    QVERIFY(badRequest(uR"({"type":"auth","token":"again"})"_s));
    QVERIFY(badRequest(uR"({"type":"ping")"_s));
    QVERIFY(badRequest(uR"({"type":5})"_s));
    QVERIFY(badRequest(u"[]"_s));
    QVERIFY(badRequest(QString()));
    // 4096 bytes are a message like any other; 4097 close the stream (1009).
    const QString prefix = uR"({"type":"auth","token":")"_s;
    QVERIFY(badRequest(prefix + u"a"_s.repeated(4096 - prefix.size() - 2) + uR"("})"_s));
    QVERIFY(ws.isOpen());
    ws.sendText(prefix + u"a"_s.repeated(4097 - prefix.size() - 2) + uR"("})"_s);
    QVERIFY(ws.waitClosed());
    QCOMPARE(ws.closeCode(), 1009);
}

void tst_AdminStream::stoppedInstanceIsStale()
{
    QJsonObject welcome;
    auto ws = open(0, welcome);
    QVERIFY(ws);
    const pid_t third = pid_t(m_daemons[2]->pid());
    QCOMPARE(::kill(third, SIGSTOP), 0);
    const QJsonObject stale = ws->nextWhere(
        [](const QJsonObject &f) {
            return f.value(u"type"_s).toString() == u"tick"
                   && tickInstances(f).value(u"node3"_s).value(u"state"_s).toString() == u"stale";
        },
        8000);
    QJsonObject listed;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const auto &v : items(http(0).get(u"/api/v1/admin/instances"_s, m_admin.token)))
                if (v.toObject().value(u"id"_s).toString() == u"node3")
                    listed = v.toObject();
            return listed.value(u"state"_s).toString() == u"stale";
        }(),
        10000);
    QCOMPARE(::kill(third, SIGCONT), 0);
    QVERIFY2(!stale.isEmpty(), "node3 never stale in the ticks");
    // Back to ok once it answers again.
    QVERIFY(!ws->nextWhere(
                   [](const QJsonObject &f) {
                       return f.value(u"type"_s).toString() == u"tick"
                              && tickInstances(f).value(u"node3"_s).value(u"state"_s).toString() == u"ok";
                   },
                   10000)
                 .isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const QJsonArray all = items(http(0).get(u"/api/v1/admin/instances"_s, m_admin.token));
            return all.size() == 3 && std::all_of(all.begin(), all.end(), [](const QJsonValue &v) {
                       return v.toObject().value(u"state"_s).toString() == u"ok";
                   });
        }(),
        10000);
}

QTEST_MAIN(tst_AdminStream)
#include "tst_admin_stream.moc"
