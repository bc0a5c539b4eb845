// SIGTERM while clients send (spec "Running an instance": drain; guarantee
// 1, durability): clients see 1001, the daemon exits 0, and every message
// that got an ack is in the database exactly once.

#include "daemon_process.h"
#include "http_client.h"
#include "test_env.h"
#include "ws_client.h"

#include <QHash>
#include <QJsonArray>
#include <QSqlError>
#include <QSqlQuery>
#include <QtTest>

using namespace sanayicin::test;

namespace {

struct Acked
{
    qint64 id = 0;
    qint64 conversation = 0;
    qint64 sender = 0;
    QString clientMsgId;
};

// One client that keeps a few sends in flight and sends the next one as
// each ack comes, until the socket closes.
class Sender : public QObject
{
public:
    Sender(qint64 userId, qint64 conversation, QString prefix)
        : m_user(userId), m_conversation(conversation), m_prefix(std::move(prefix))
    {
        connect(&ws.socket(), &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
            const QString type = o.value(QStringLiteral("type")).toString();
            if (type == u"ack") {
                const QJsonObject m = o.value(QStringLiteral("message")).toObject();
                acks.push_back({m.value(QStringLiteral("id")).toInteger(),
                                m.value(QStringLiteral("conversation_id")).toInteger(),
                                m.value(QStringLiteral("sender_id")).toInteger(),
                                m.value(QStringLiteral("client_msg_id")).toString()});
                sendOne();
            } else if (type == u"error") {
                errors.push_back(o);
                sendOne();
            }
        });
    }

    void start(int inFlight)
    {
        for (int i = 0; i < inFlight; ++i)
            sendOne();
    }

    WsClient ws;
    QList<Acked> acks;
    QList<QJsonObject> errors;
    int sent = 0;

private:
    void sendOne()
    {
        if (!ws.isOpen())
            return;
        ++sent;
        ws.send(WsClient::sendFrame(m_conversation, QStringLiteral("%1-%2").arg(m_prefix).arg(sent),
                                    QStringLiteral("mesaj %1 / %2").arg(m_prefix).arg(sent)));
    }

    qint64 m_user;
    qint64 m_conversation;
    QString m_prefix;
};

} // namespace

class tst_Drain : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sigtermWhileSending();
};

void tst_Drain::sigtermWhileSending()
{
    QTemporaryDir dir;
    const QString db = freshDatabaseUrl(QStringLiteral("postgresql"), dir.path());
    QString error;
    auto daemon = std::make_unique<DaemonProcess>();
    QVERIFY2(daemon->start(db,
                           DaemonProcess::defaultArgs() << QStringLiteral("--send-rate") << QStringLiteral("1000")
                                                        << QStringLiteral("--send-burst") << QStringLiteral("1000"),
                           error),
             qPrintable(error));
    HttpClient http(daemon->httpUrl(QString()));

    constexpr int kPairs = 6;
    std::vector<std::unique_ptr<Sender>> senders;
    QList<HttpClient::Account> accounts;
    QList<qint64> conversations;
    for (int i = 0; i < kPairs; ++i) {
        const auto a = http.registerUser(QStringLiteral("drain_a%1").arg(i));
        const auto b = http.registerUser(QStringLiteral("drain_b%1").arg(i), QStringLiteral("tradesman"));
        const qint64 conv = http.conversation(a, b.id);
        QVERIFY(conv > 0);
        conversations << conv;
        for (const auto &who : {a, b}) {
            accounts << who;
            auto s = std::make_unique<Sender>(who.id, conv, QStringLiteral("u%1").arg(who.id));
            QVERIFY(!s->ws.connectAndHello(daemon->wsUrl(), who.token).isEmpty());
            senders.push_back(std::move(s));
        }
    }
    for (auto &s : senders)
        s->start(4);

    // Let traffic flow, then SIGTERM in the middle of it.
    auto totalAcks = [&] {
        qsizetype n = 0;
        for (const auto &s : senders)
            n += s->acks.size();
        return n;
    };
    QTRY_VERIFY_WITH_TIMEOUT(totalAcks() >= 300, 30000);
    daemon->sendSigterm();
    const qsizetype acksAtSignal = totalAcks();

    // Clients keep sending until their socket closes; the daemon exits.
    QTRY_VERIFY_WITH_TIMEOUT(!daemon->isRunning(), 30000);
    QCOMPARE(daemon->exitCode(), 0);
    for (const auto &s : senders) {
        QVERIFY(WsClient::waitUntil([&] { return s->ws.isClosed(); }, 10000));
        QCOMPARE(s->ws.closeCode(), 1001);
        for (const QJsonObject &e : s->errors)
            QFAIL(QJsonDocument(e).toJson(QJsonDocument::Compact).constData());
    }
    QVERIFY(totalAcks() >= acksAtSignal);
    qInfo("%lld acks, %lld of them after SIGTERM", qint64(totalAcks()), qint64(totalAcks() - acksAtSignal));

    // Every ack is in the database exactly once, under its id.
    QHash<qint64, Acked> byId;
    for (const auto &s : senders)
        for (const Acked &a : s->acks) {
            QVERIFY2(!byId.contains(a.id), "two acks with one id");
            byId.insert(a.id, a);
        }
    {
        QSqlDatabase sql = openPostgres(db, QStringLiteral("drain-check"));
        QVERIFY(sql.isOpen());
        QSqlQuery q(sql);
        QVERIFY2(q.exec(QStringLiteral("SELECT id, conversation_id, sender_id, client_msg_id, seq FROM messages "
                                       "ORDER BY conversation_id, seq")),
                 qPrintable(q.lastError().text()));
        QHash<qint64, int> rowsWithId;
        QHash<qint64, qint64> lastSeq;
        while (q.next()) {
            const qint64 id = q.value(0).toLongLong();
            const qint64 conv = q.value(1).toLongLong();
            ++rowsWithId[id];
            // seq stays gapless through the drain.
            QCOMPARE(q.value(4).toLongLong(), lastSeq.value(conv) + 1);
            lastSeq[conv] = q.value(4).toLongLong();
            if (const auto it = byId.constFind(id); it != byId.constEnd()) {
                QCOMPARE(conv, it->conversation);
                QCOMPARE(q.value(2).toLongLong(), it->sender);
                QCOMPARE(q.value(3).toString(), it->clientMsgId);
            }
        }
        for (const Acked &a : std::as_const(byId))
            QVERIFY2(rowsWithId.value(a.id) == 1,
                     qPrintable(QStringLiteral("acked message %1 (%2) stored %3 times")
                                    .arg(a.id)
                                    .arg(a.clientMsgId)
                                    .arg(rowsWithId.value(a.id))));
        QSqlQuery dup(sql);
        QVERIFY(dup.exec(QStringLiteral("SELECT count(*) FROM (SELECT sender_id, client_msg_id FROM messages "
                                        "GROUP BY 1, 2 HAVING count(*) > 1) d")));
        QVERIFY(dup.next());
        QCOMPARE(dup.value(0).toLongLong(), 0);
    }
    QSqlDatabase::removeDatabase(QStringLiteral("drain-check"));

    // A new instance on the same database serves all of it.
    daemon = std::make_unique<DaemonProcess>();
    QVERIFY2(daemon->start(db, DaemonProcess::defaultArgs(), error), qPrintable(error));
    HttpClient again(daemon->httpUrl(QString()));
    QSet<qint64> served;
    for (int i = 0; i < kPairs; ++i) {
        const auto reader = again.login(QStringLiteral("drain_a%1").arg(i));
        QVERIFY(!reader.token.isEmpty());
        // Newest first, page by page backwards with before_id.
        qint64 before = 0;
        for (;;) {
            const QString query = before ? QStringLiteral("?before_id=%1&limit=200").arg(before)
                                         : QStringLiteral("?limit=200");
            const HttpResult r = again.get(
                QStringLiteral("/api/v1/conversations/%1/messages").arg(conversations[i]) + query,
                reader.token);
            QCOMPARE(r.status, 200);
            const QJsonArray items = r.json().value(QStringLiteral("items")).toArray();
            for (const QJsonValue v : items) {
                const qint64 id = v.toObject().value(QStringLiteral("id")).toInteger();
                QVERIFY2(!served.contains(id), "a message served twice");
                served.insert(id);
            }
            if (items.isEmpty() || !r.json().value(QStringLiteral("has_more")).toBool())
                break;
            before = items.first().toObject().value(QStringLiteral("id")).toInteger();
        }
    }
    for (const Acked &a : std::as_const(byId))
        QVERIFY2(served.contains(a.id), qPrintable(QStringLiteral("acked message %1 missing").arg(a.id)));
    QCOMPARE(daemon->terminate(), 0);
}

QTEST_MAIN(tst_Drain)
#include "tst_drain.moc"
