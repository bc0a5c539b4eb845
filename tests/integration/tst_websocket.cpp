// The WebSocket protocol against the real daemon: opening, frames, errors,
// close codes and limits (spec "WebSocket").

#include "daemon_process.h"
#include "http_client.h"
#include "test_env.h"
#include "ws_client.h"

#include <QJsonArray>
#include <QtTest>

using namespace sanayicin::test;

class tst_WebSocket : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void helloByHeaderAndByFrame();
    void sendAckAndFanOut();

private:
    DaemonProcess m_daemon;
    std::unique_ptr<HttpClient> m_http;
    QTemporaryDir m_dir;
};

void tst_WebSocket::initTestCase()
{
    QString error;
    QVERIFY2(m_daemon.start(freshDatabaseUrl(QStringLiteral("postgresql"), m_dir.path()),
                            DaemonProcess::defaultArgs(), error),
             qPrintable(error));
    m_http = std::make_unique<HttpClient>(m_daemon.httpUrl(QString()));
}

void tst_WebSocket::cleanupTestCase()
{
    QCOMPARE(m_daemon.terminate(), 0);
}

void tst_WebSocket::helloByHeaderAndByFrame()
{
    const auto alice = m_http->registerUser(QStringLiteral("hello_a"));
    WsClient byHeader;
    const QJsonObject hello = byHeader.connectAndHello(m_daemon.wsUrl(), alice.token);
    QCOMPARE(hello.value(QStringLiteral("type")).toString(), QStringLiteral("hello"));
    QCOMPARE(hello.value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toInteger(), alice.id);
    QCOMPARE(hello.value(QStringLiteral("last_message_id")).toInteger(), 0);
    QVERIFY(hello.value(QStringLiteral("heartbeat_s")).toInt() > 0);
    QVERIFY(!hello.value(QStringLiteral("instance")).toString().isEmpty());

    WsClient byFrame;
    QCOMPARE(byFrame.connectAndHello(m_daemon.wsUrl(), alice.token, true)
                 .value(QStringLiteral("type")).toString(),
             QStringLiteral("hello"));
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
    QCOMPARE(ack.value(QStringLiteral("client_msg_id")).toString(), QStringLiteral("m1"));
    const QJsonObject msg = ack.value(QStringLiteral("message")).toObject();
    QCOMPARE(msg.value(QStringLiteral("seq")).toInteger(), 1);
    QCOMPARE(msg.value(QStringLiteral("body")).toString(), QStringLiteral("Selam 👋"));
    for (WsClient *c : {&a2, &b1}) {
        const QJsonObject m = c->nextOfType(QStringLiteral("message"));
        QCOMPARE(m.value(QStringLiteral("message")).toObject().value(QStringLiteral("id")).toInteger(),
                 msg.value(QStringLiteral("id")).toInteger());
    }
    // The sending connection gets the ack, never the message frame.
    QTest::qWait(200);
    QVERIFY(a1.received(QStringLiteral("message")).isEmpty());
}

QTEST_MAIN(tst_WebSocket)
#include "tst_websocket.moc"
