// Many pairs sending at once (spec "Guarantees" 1, 2, 4, 5): nothing acked
// is lost or duplicated, seq is gapless per conversation, every connection
// sees each conversation in strictly increasing seq, and a sync from 0
// returns exactly the user's messages.

#include "daemon_process.h"
#include "http_client.h"
#include "test_env.h"
#include "ws_client.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QSet>
#include <QtTest>

using namespace sanayicin::test;

namespace {

constexpr int kPairs = 20;
constexpr int kConnectionsPerUser = 2;
constexpr int kMessagesPerSender = 50;

qint64 idOf(const QJsonObject &messageFrame)
{
    return messageFrame.value(QStringLiteral("message")).toObject().value(QStringLiteral("id")).toInteger();
}

} // namespace

class tst_Concurrency : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void manyPairsAtOnce();
    void fanInIdsOnlyIncrease();

private:
    DaemonProcess m_daemon;
    QTemporaryDir m_dir;
};

void tst_Concurrency::initTestCase()
{
    QString error;
    // 50 messages per sender at once is beyond the default burst of 40.
    QVERIFY2(m_daemon.start(freshDatabaseUrl(QStringLiteral("postgresql"), m_dir.path()),
                            DaemonProcess::defaultArgs()
                                << QStringLiteral("--send-rate") << QStringLiteral("10000")
                                << QStringLiteral("--send-burst") << QStringLiteral("10000"),
                            error),
             qPrintable(error));
}

void tst_Concurrency::cleanupTestCase()
{
    QCOMPARE(m_daemon.terminate(), 0);
}

void tst_Concurrency::manyPairsAtOnce()
{
    QElapsedTimer clock;
    clock.start();
    HttpClient http(m_daemon.httpUrl(QString()));
    struct User
    {
        HttpClient::Account account;
        qint64 conversation = 0;
        int pair = 0;
        std::vector<std::unique_ptr<WsClient>> connections;
    };
    std::vector<User> users(2 * kPairs);
    for (int p = 0; p < kPairs; ++p) {
        User &a = users[2 * p];
        User &b = users[2 * p + 1];
        a.account = http.registerUser(QStringLiteral("conc_a%1").arg(p));
        b.account = http.registerUser(QStringLiteral("conc_b%1").arg(p), QStringLiteral("tradesman"));
        QVERIFY(!a.account.token.isEmpty() && !b.account.token.isEmpty());
        a.conversation = b.conversation = http.conversation(a.account, b.account.id);
        QVERIFY(a.conversation > 0);
        a.pair = b.pair = p;
    }
    for (User &u : users)
        for (int c = 0; c < kConnectionsPerUser; ++c) {
            auto ws = std::make_unique<WsClient>();
            QVERIFY(!ws->connectAndHello(m_daemon.wsUrl(), u.account.token).isEmpty());
            u.connections.push_back(std::move(ws));
        }
    // End every connection's sync grace so that live frames flow at once.
    for (User &u : users)
        for (auto &ws : u.connections)
            QVERIFY(ws->roundTrip());
    qInfo("set up in %lld ms", clock.elapsed());

    // Everyone at once, interleaved: message i of every user goes out
    // before message i + 1 of any, alternating the user's connections.
    for (int i = 0; i < kMessagesPerSender; ++i)
        for (User &u : users)
            u.connections[size_t(i % kConnectionsPerUser)]->send(WsClient::sendFrame(
                u.conversation, QStringLiteral("c%1").arg(i), QStringLiteral("%1 #%2").arg(u.account.id).arg(i)));

    const int perConversation = 2 * kMessagesPerSender;
    const int acksPerConnection = kMessagesPerSender / kConnectionsPerUser;
    const int framesPerConnection = perConversation - acksPerConnection;
    auto done = [&] {
        for (User &u : users)
            for (auto &ws : u.connections)
                if (ws->received(QStringLiteral("ack")).size() < acksPerConnection
                    || ws->received(QStringLiteral("message")).size() < framesPerConnection
                    || !ws->received(QStringLiteral("error")).isEmpty())
                    return false;
        return true;
    };
    WsClient::waitUntil(done, 45000); // what is missing shows below
    qInfo("delivered in %lld ms", clock.elapsed());

    for (User &u : users)
        for (auto &ws : u.connections) {
            for (const QJsonObject &e : ws->received(QStringLiteral("error")))
                QFAIL(QJsonDocument(e).toJson(QJsonDocument::Compact).constData());
            QCOMPARE(ws->received(QStringLiteral("ack")).size(), acksPerConnection);
        }

    for (int p = 0; p < kPairs; ++p) {
        User &a = users[2 * p];
        User &b = users[2 * p + 1];
        // The acks of the conversation: distinct ids, one per client_msg_id.
        QSet<qint64> acked;
        QHash<QString, qint64> byClientId;
        for (User *u : {&a, &b})
            for (auto &ws : u->connections)
                for (const QJsonObject &ack : ws->received(QStringLiteral("ack"))) {
                    const QJsonObject m = ack.value(QStringLiteral("message")).toObject();
                    QCOMPARE(m.value(QStringLiteral("conversation_id")).toInteger(), a.conversation);
                    QCOMPARE(m.value(QStringLiteral("sender_id")).toInteger(), u->account.id);
                    const QString key = QString::number(u->account.id) + QLatin1Char('/')
                                        + m.value(QStringLiteral("client_msg_id")).toString();
                    QVERIFY2(!byClientId.contains(key), qPrintable(key));
                    byClientId.insert(key, m.value(QStringLiteral("id")).toInteger());
                    QVERIFY(!acked.contains(m.value(QStringLiteral("id")).toInteger()));
                    acked.insert(m.value(QStringLiteral("id")).toInteger());
                }
        QCOMPARE(acked.size(), perConversation);

        // History == the acks, seq gapless 1..n, ascending by id.
        const HttpResult h = http.get(
            QStringLiteral("/api/v1/conversations/%1/messages?limit=200").arg(a.conversation), a.account.token);
        QCOMPARE(h.status, 200);
        const QJsonArray items = h.json().value(QStringLiteral("items")).toArray();
        QCOMPARE(items.size(), perConversation);
        QCOMPARE(h.json().value(QStringLiteral("has_more")).toBool(), false);
        QSet<qint64> stored;
        qint64 lastId = 0;
        QHash<qint64, qint64> seqOf;
        for (qsizetype i = 0; i < items.size(); ++i) {
            const QJsonObject m = items[i].toObject();
            QCOMPARE(m.value(QStringLiteral("seq")).toInteger(), qint64(i + 1));
            QVERIFY(m.value(QStringLiteral("id")).toInteger() > lastId);
            lastId = m.value(QStringLiteral("id")).toInteger();
            stored.insert(lastId);
            seqOf.insert(lastId, m.value(QStringLiteral("seq")).toInteger());
        }
        QCOMPARE(stored, acked);

        // Each connection: message frames in strictly increasing seq, and
        // with its own acks, the whole conversation.
        for (User *u : {&a, &b})
            for (auto &ws : u->connections) {
                QSet<qint64> seen;
                qint64 lastSeq = 0;
                for (const QJsonObject &f : ws->received(QStringLiteral("message"))) {
                    const QJsonObject m = f.value(QStringLiteral("message")).toObject();
                    QCOMPARE(m.value(QStringLiteral("conversation_id")).toInteger(), a.conversation);
                    const qint64 seq = m.value(QStringLiteral("seq")).toInteger();
                    QVERIFY2(seq > lastSeq, qPrintable(QStringLiteral("seq %1 after %2").arg(seq).arg(lastSeq)));
                    lastSeq = seq;
                    QCOMPARE(seqOf.value(m.value(QStringLiteral("id")).toInteger()), seq);
                    seen.insert(m.value(QStringLiteral("id")).toInteger());
                }
                for (const QJsonObject &ack : ws->received(QStringLiteral("ack")))
                    seen.insert(ack.value(QStringLiteral("message")).toObject().value(QStringLiteral("id")).toInteger());
                QCOMPARE(seen, acked);
            }

        // A sync from 0 returns exactly the user's messages, ascending.
        for (User *u : {&a, &b}) {
            WsClient &ws = *u->connections.front();
            ws.clearQueue();
            ws.send({{QStringLiteral("type"), QStringLiteral("sync")},
                     {QStringLiteral("after_id"), 0},
                     {QStringLiteral("limit"), 1000}});
            QList<qint64> synced;
            for (;;) {
                const QJsonObject f = ws.next(10000);
                QVERIFY(!f.isEmpty());
                const QString type = f.value(QStringLiteral("type")).toString();
                if (type == u"synced") {
                    QCOMPARE(f.value(QStringLiteral("has_more")).toBool(), false);
                    QCOMPARE(f.value(QStringLiteral("last_id")).toInteger(), synced.isEmpty() ? 0 : synced.last());
                    break;
                }
                QCOMPARE(type, QStringLiteral("message"));
                synced << idOf(f);
            }
            QList<qint64> expected(stored.begin(), stored.end());
            std::sort(expected.begin(), expected.end());
            QCOMPARE(synced, expected);
        }
    }
    qInfo("checked in %lld ms", clock.elapsed());
}

void tst_Concurrency::fanInIdsOnlyIncrease()
{
    // One tradesman, many customers writing at once (guarantee 3): each of
    // the tradesman's connections sees ids only increase across all their
    // conversations, and a connection that syncs from the highest id seen
    // so far while traffic flows misses nothing and never goes backwards.
    constexpr int kPeers = 15;
    constexpr int kRounds = 30;
    HttpClient http(m_daemon.httpUrl(QString()));
    const auto hub = http.registerUser(QStringLiteral("fanin_hub"), QStringLiteral("tradesman"));
    std::vector<std::unique_ptr<WsClient>> peers;
    QList<qint64> conversations;
    for (int i = 0; i < kPeers; ++i) {
        const auto peer = http.registerUser(QStringLiteral("fanin_p%1").arg(i));
        conversations << http.conversation(peer, hub.id);
        auto ws = std::make_unique<WsClient>();
        QVERIFY(!ws->connectAndHello(m_daemon.wsUrl(), peer.token).isEmpty());
        peers.push_back(std::move(ws));
    }
    WsClient h1, h2, h3;
    QVERIFY(!h1.connectAndHello(m_daemon.wsUrl(), hub.token).isEmpty());
    QVERIFY(!h2.connectAndHello(m_daemon.wsUrl(), hub.token).isEmpty());
    QVERIFY(h1.roundTrip());
    QVERIFY(h2.roundTrip());

    auto ids = [](const WsClient &ws) {
        QList<qint64> out;
        for (const QJsonObject &f : ws.received(QStringLiteral("message")))
            out << idOf(f);
        return out;
    };
    qint64 cut = -1;
    for (int round = 0; round < kRounds; ++round) {
        for (int i = 0; i < kPeers; ++i)
            peers[size_t(i)]->send(WsClient::sendFrame(conversations[i], QStringLiteral("f%1").arg(round),
                                                       QStringLiteral("round %1").arg(round)));
        if (round == kRounds / 3) {
            // In the middle of it: a new connection syncs from what h1 has.
            const QList<qint64> seen = ids(h1);
            cut = seen.isEmpty() ? 0 : *std::max_element(seen.begin(), seen.end());
            QVERIFY(!h3.connectAndHello(m_daemon.wsUrl(), hub.token).isEmpty());
            h3.send({{QStringLiteral("type"), QStringLiteral("sync")}, {QStringLiteral("after_id"), cut}});
        }
        QVERIFY(WsClient::waitUntil([&] {
            for (auto &p : peers)
                if (p->received(QStringLiteral("ack")).size() < round + 1)
                    return false;
            return true;
        }, 30000));
    }
    QSet<qint64> all;
    for (auto &p : peers) {
        QVERIFY(p->received(QStringLiteral("error")).isEmpty());
        for (const QJsonObject &ack : p->received(QStringLiteral("ack")))
            all.insert(ack.value(QStringLiteral("message")).toObject().value(QStringLiteral("id")).toInteger());
    }
    QCOMPARE(all.size(), kPeers * kRounds);
    QSet<qint64> afterCut;
    for (qint64 id : std::as_const(all))
        if (id > cut)
            afterCut.insert(id);
    const auto complete = [&](const WsClient &ws, const QSet<qint64> &want) {
        const QList<qint64> got = ids(ws);
        return QSet<qint64>(got.begin(), got.end()).contains(want);
    };
    QVERIFY(WsClient::waitUntil([&] { return complete(h1, all) && complete(h2, all) && complete(h3, afterCut); },
                                30000));
    QVERIFY(!h3.received(QStringLiteral("synced")).isEmpty());
    for (WsClient *ws : {&h1, &h2, &h3}) {
        const QList<qint64> got = ids(*ws);
        for (qsizetype i = 1; i < got.size(); ++i)
            QVERIFY2(got[i] > got[i - 1],
                     qPrintable(QStringLiteral("id %1 after %2 (frame %3)").arg(got[i]).arg(got[i - 1]).arg(i)));
        for (qint64 id : got)
            QVERIFY(all.contains(id));
    }
    QCOMPARE(ids(h1).size(), all.size());
    QCOMPARE(ids(h2).size(), all.size());
}

QTEST_MAIN(tst_Concurrency)
#include "tst_concurrency.moc"
