// What instances tell each other through Redis: decoded exactly as encoded,
// and a payload that is not one is refused, never trusted.

#include "bridge/wire_format.h"

#include <QtTest>

using namespace sanayicin;

class tst_WireFormat : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void batchRoundTrip()
    {
        Message m;
        m.id = 42;
        m.conversationId = 7;
        m.seq = 3;
        m.senderId = 11;
        m.clientMsgId = QStringLiteral("c-1");
        m.body = QStringLiteral("Merhaba ışık 👋");
        m.createdAtMs = 1764135578123;
        MessageBatch batch{DeliveredMessage::make(m, 11, 12, 99)};
        const auto decoded = wire::decodeBatch(wire::encodeBatch(QStringLiteral("node-1"), batch));
        QVERIFY(decoded);
        QCOMPARE(decoded->origin, QStringLiteral("node-1"));
        QCOMPARE(decoded->messages.size(), size_t(1));
        const auto &d = decoded->messages[0];
        QCOMPARE(d->message.id, 42);
        QCOMPARE(d->message.conversationId, 7);
        QCOMPARE(d->message.seq, 3);
        QCOMPARE(d->userA, 11);
        QCOMPARE(d->userB, 12);
        QCOMPARE(d->json, batch[0]->json);
        QCOMPARE(d->frame, batch[0]->frame);
        QCOMPARE(d->originConnection, 0); // connections are local to an instance
    }

    void eventRoundTrip()
    {
        wire::Event e;
        e.kind = wire::EventKind::CloseToken;
        e.origin = QStringLiteral("n2");
        e.users = {1, 2, 3};
        e.frame = "{\"type\":\"typing\"}";
        e.userId = 5;
        e.code = 4001;
        e.reason = QStringLiteral("logged out");
        e.tokenHash = "abc";
        e.online = true;
        e.version = 77;
        const auto d = wire::decodeEvent(wire::encodeEvent(e));
        QVERIFY(d);
        QCOMPARE(d->kind, wire::EventKind::CloseToken);
        QCOMPARE(d->origin, e.origin);
        QCOMPARE(d->users, e.users);
        QCOMPARE(d->frame, e.frame);
        QCOMPARE(d->code, 4001);
        QCOMPARE(d->reason, e.reason);
        QCOMPARE(d->tokenHash, e.tokenHash);
        QCOMPARE(d->online, true);
        QCOMPARE(d->version, 77);
    }

    void garbageIsRefused_data()
    {
        QTest::addColumn<QByteArray>("payload");
        Message m;
        m.id = 1;
        const QByteArray good = wire::encodeBatch(QStringLiteral("x"), {DeliveredMessage::make(m, 1, 2, 0)});
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("wrong tag") << QByteArray("Zxxxxxxxx");
        QTest::newRow("truncated") << good.left(good.size() - 3);
        QTest::newRow("trailing bytes") << good + "x";
        QByteArray huge = good;
        huge[huge.indexOf('x') + 1] = char(0x7f); // count far beyond the payload
        QTest::newRow("count beyond payload") << huge;
        QTest::newRow("event truncated") << wire::encodeEvent({}).left(5);
        // What decodes must re-encode to the same bytes: no repaired text.
        QByteArray badOrigin = good;
        badOrigin[6] = char(0xFF); // the origin "x"
        QTest::newRow("origin not UTF-8") << badOrigin;
        QByteArray badJson = good;
        badJson[badJson.size() - 1] = char(0xFF); // the message JSON's last byte
        QTest::newRow("message JSON not UTF-8") << badJson;
        wire::Event presence;
        presence.kind = wire::EventKind::Presence;
        QByteArray flag = wire::encodeEvent(presence);
        flag[flag.size() - 9] = 2; // online: 0 or 1
        QTest::newRow("online flag 2") << flag;
        QByteArray users = wire::encodeEvent(presence);
        users[users.indexOf(char(6)) + 1] = char(0x7f); // the user count, far beyond the payload
        QTest::newRow("user count beyond payload") << users;
    }

    void garbageIsRefused()
    {
        QFETCH(QByteArray, payload);
        QVERIFY(!wire::decodeBatch(payload));
        QVERIFY(!wire::decodeEvent(payload));
    }
};

QTEST_GUILESS_MAIN(tst_WireFormat)
#include "tst_wire_format.moc"
