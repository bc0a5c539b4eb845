// Every server-to-client frame (common/protocol/server_frames) byte for byte:
// the bytes are the wire contract and travel between instances as they are,
// so a change here is a change on the wire. Each frame also parses as JSON.

#include "protocol/server_frames.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace sanayicin;
using namespace Qt::StringLiterals;

class tst_ServerFrames : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void exactBytes_data();
    void exactBytes();
    void errorCarriesRetryOnlyWhenRateLimited();
    void classifiesEvents();
};

void tst_ServerFrames::exactBytes_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QByteArray>("expected");

    const QByteArray msg = R"({"id":7,"body":"a\"b"})";
    const QString ref = u"c-1\u00e7"_s;
    const QByteArray ts = "123";
    QTest::newRow("hello") << frames::hello(R"({"id":1})", u"one"_s, 30, 42)
                           << QByteArray(R"({"type":"hello","user":{"id":1},"instance":"one","heartbeat_s":30,"last_message_id":42})");
    QTest::newRow("error") << frames::error(ErrorCode::NotFound, u"no such conversation"_s)
                           << QByteArray(R"({"type":"error","code":"not_found","message":"no such conversation"})");
    QTest::newRow("error with ref") << frames::error(ErrorCode::Unavailable, u"x"_s, &ref)
                                    << QByteArray("{\"type\":\"error\",\"code\":\"unavailable\",\"message\":\"x\",\"ref\":\"c-1\xc3\xa7\"}");
    QTest::newRow("typing") << frames::typing(3, 4)
                            << QByteArray(R"({"type":"typing","conversation_id":3,"user_id":4})");
    QTest::newRow("read") << frames::read(3, 4, 5)
                          << QByteArray(R"({"type":"read","conversation_id":3,"user_id":4,"message_id":5})");
    QTest::newRow("synced") << frames::synced(9, true)
                            << QByteArray(R"({"type":"synced","last_id":9,"has_more":true})");
    QTest::newRow("pong") << frames::pong(nullptr) << QByteArray(R"({"type":"pong"})");
    QTest::newRow("pong with ts") << frames::pong(&ts) << QByteArray(R"({"type":"pong","ts":123})");
    QTest::newRow("message_deleted") << frames::messageDeleted(3, 5)
                                     << QByteArray(R"({"type":"message_deleted","conversation_id":3,"message_id":5})");
    QTest::newRow("presence on") << frames::presence(8, true)
                                 << QByteArray(R"({"type":"presence","user_id":8,"online":true})");
    QTest::newRow("presence off") << frames::presence(8, false)
                                  << QByteArray(R"({"type":"presence","user_id":8,"online":false})");
    QTest::newRow("message") << frames::message(msg)
                             << QByteArray(R"({"type":"message","message":{"id":7,"body":"a\"b"}})");
    QTest::newRow("ack") << frames::ack(u"k\"1"_s, msg)
                         << QByteArray(R"({"type":"ack","client_msg_id":"k\"1","message":{"id":7,"body":"a\"b"}})");
}

void tst_ServerFrames::exactBytes()
{
    QFETCH(QByteArray, frame);
    QFETCH(QByteArray, expected);
    QCOMPARE(frame, expected);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(frame, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QVERIFY(doc.isObject());
}

void tst_ServerFrames::errorCarriesRetryOnlyWhenRateLimited()
{
    QCOMPARE(frames::error(ErrorCode::RateLimited, u"slow"_s, nullptr, 250),
             QByteArray(R"({"type":"error","code":"rate_limited","message":"slow","retry_after_ms":250})"));
    QVERIFY(!frames::error(ErrorCode::BadRequest, u"x"_s, nullptr, 250).contains("retry_after_ms"));
}

void tst_ServerFrames::classifiesEvents()
{
    QVERIFY(frames::namesAMessage(frames::read(1, 2, 3)));
    QVERIFY(frames::namesAMessage(frames::messageDeleted(1, 3)));
    QVERIFY(!frames::namesAMessage(frames::typing(1, 2)));
    QVERIFY(!frames::namesAMessage(frames::presence(1, true)));
    QVERIFY(frames::isTyping(frames::typing(1, 2)));
    QVERIFY(!frames::isTyping(frames::read(1, 2, 3)));
}

QTEST_GUILESS_MAIN(tst_ServerFrames)
#include "tst_server_frames.moc"
