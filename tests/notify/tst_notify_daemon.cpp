// Webhook notifications through the whole daemon (embedded SQLite, the
// in-process worker and scheduler): the producer on the writer's committed
// batches, the job queue, the handler, the receiver. A burst to a
// recipient with no live connection becomes one signed POST; messages sent
// while the recipient is online send nothing then, and are covered by the
// next notification once the recipient has left. With Redis, the same
// through a separate `sanayicind worker` that asks Redis who is online.

#include "daemon_process.h"
#include "http_client.h"
#include "service_processes.h"
#include "webhook_receiver.h"
#include "ws_client.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace sanayicin::test;
using namespace Qt::StringLiterals;

class tst_NotifyDaemon : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void burstIsOnePostAndNothingWhileOnline();
    void aWorkerWithRedisSendsThem();

private:
    // The daemon's and the worker's notification settings, the secret in `dir`.
    static QStringList notifyArgs(const WebhookReceiver &receiver, const QTemporaryDir &dir);
    static void checkSignature(const WebhookReceiver::Request &r);
    static constexpr QByteArrayView kSecret = "a-secret-for-the-test-only";
};

namespace {

// Sends `n` messages on `ws` and waits for each ack.
bool sendAndAck(WsClient &ws, qint64 conversation, const QString &prefix, int n)
{
    for (int i = 0; i < n; ++i) {
        const QString id = prefix + QString::number(i);
        ws.send(WsClient::sendFrame(conversation, id, u"hello "_s + id));
        const QJsonObject ack = ws.nextWhere(
            [&](const QJsonObject &f) {
                return f.value(u"type"_s) == u"ack"_s && f.value(u"client_msg_id"_s) == id;
            },
            10000);
        if (ack.isEmpty())
            return false;
    }
    return true;
}

} // namespace

QStringList tst_NotifyDaemon::notifyArgs(const WebhookReceiver &receiver, const QTemporaryDir &dir)
{
    const QString secretPath = dir.filePath(u"webhook.secret"_s);
    QFile f(secretPath);
    if (!f.exists()) {
        if (!f.open(QIODevice::WriteOnly))
            qFatal("cannot write the secret");
        f.write(kSecret.data(), kSecret.size());
    }
    return {u"--notify-webhook-url"_s, receiver.url(), u"--notify-webhook-secret-file"_s,
            secretPath, u"--notify-batch-ms"_s, u"300"_s};
}

// Signed as docs/protocol.md says: v1= HMAC-SHA256(secret, timestamp "." body).
void tst_NotifyDaemon::checkSignature(const WebhookReceiver::Request &r)
{
    const QByteArray timestamp = r.headers.value("x-sanayicin-timestamp");
    QVERIFY(!timestamp.isEmpty());
    const QByteArray mac = QMessageAuthenticationCode::hash(timestamp + '.' + r.body,
                                                            kSecret.toByteArray(),
                                                            QCryptographicHash::Sha256)
                               .toHex();
    QCOMPARE(r.headers.value("x-sanayicin-signature"), "v1=" + mac);
}

void tst_NotifyDaemon::burstIsOnePostAndNothingWhileOnline()
{
    WebhookReceiver receiver;
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    DaemonProcess daemon;
    QString error;
    const QStringList args = DaemonProcess::defaultArgs() << notifyArgs(receiver, dir);
    QVERIFY2(daemon.start({}, args, error), qPrintable(error));
    HttpClient http(daemon.httpUrl(QString()));
    const auto sender = http.registerUser(u"nd_sender"_s);
    const auto recipient = http.registerUser(u"nd_recipient"_s, u"tradesman"_s);
    const qint64 conversation = http.conversation(sender, recipient.id);
    QVERIFY(conversation > 0);

    WsClient from;
    QVERIFY(from.open(daemon.wsUrl(), sender.token));
    QVERIFY(!from.nextOfType(u"hello"_s).isEmpty());

    // A burst while the recipient has no connection: one POST for all five.
    QVERIFY(sendAndAck(from, conversation, u"burst"_s, 5));
    QTRY_COMPARE_WITH_TIMEOUT(receiver.requests.size(), 1, 20000);
    const WebhookReceiver::Request first = receiver.requests.first();
    QCOMPARE(first.method, QByteArray("POST"));
    const QJsonObject body = QJsonDocument::fromJson(first.body).object();
    QCOMPARE(body.value(u"unreadMessages"_s).toInteger(), 5);
    checkSignature(first);
    QVERIFY(!first.body.contains("hello burst")); // no text without a preview setting

    // While the recipient is connected, three more: no notification for them
    // now. They are unread, so the next notification covers them: once the
    // recipient has left, one more message brings one POST for all four. A
    // POST sent while online would have moved the watermark past the three
    // and the POST below would count 1, not 4.
    {
        WsClient to;
        QVERIFY(to.open(daemon.wsUrl(), recipient.token));
        QVERIFY(!to.nextOfType(u"hello"_s).isEmpty());
        QVERIFY(sendAndAck(from, conversation, u"online"_s, 3));
        for (int i = 0; i < 3; ++i)
            QVERIFY(!to.nextOfType(u"message"_s, 10000).isEmpty());
        to.close();
        QVERIFY(to.waitClosed());
    }
    // The daemon drops the recipient's presence when it sees the close.
    QTRY_VERIFY_WITH_TIMEOUT(http.metric("sanayicin_online_users") < 2, 10000);
    QVERIFY(sendAndAck(from, conversation, u"after"_s, 1));
    QTRY_COMPARE_WITH_TIMEOUT(receiver.requests.size(), 2, 20000);
    const QJsonObject second = QJsonDocument::fromJson(receiver.requests.at(1).body).object();
    QCOMPARE(second.value(u"unreadMessages"_s).toInteger(), 4);
    QVERIFY(receiver.requests.at(1).headers.value("x-sanayicin-delivery")
            != first.headers.value("x-sanayicin-delivery"));
}

// With Redis the instance only enqueues; `sanayicind worker` (its own
// process, sharing the database and Redis) runs the job and asks Redis
// whether the recipient is online.
void tst_NotifyDaemon::aWorkerWithRedisSendsThem()
{
    RedisServer redis;
    QString error;
    QVERIFY2(redis.start(error), qPrintable(error));
    WebhookReceiver receiver;
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString database = u"sqlite://"_s + dir.filePath(u"chat.sqlite"_s);
    DaemonProcess daemon;
    const QStringList args = DaemonProcess::defaultArgs()
                             << notifyArgs(receiver, dir) << u"--redis"_s << redis.url()
                             << u"--data-dir"_s << dir.path();
    QVERIFY2(daemon.start(database, args, error), qPrintable(error));
    QProcess worker;
    worker.setProcessChannelMode(QProcess::ForwardedChannels);
    worker.start(qEnvironmentVariable("SANAYICIN_DAEMON"),
                 QStringList{u"worker"_s, u"--database"_s, database, u"--redis"_s, redis.url(),
                             u"--worker-queues"_s, u"notify"_s, u"--data-dir"_s, dir.path()}
                     << notifyArgs(receiver, dir));
    QVERIFY(worker.waitForStarted());
    const auto stopWorker = qScopeGuard([&worker] {
        worker.terminate();
        if (!worker.waitForFinished(15000))
            worker.kill();
    });

    HttpClient http(daemon.httpUrl(QString()));
    const auto sender = http.registerUser(u"ndr_sender"_s);
    const auto recipient = http.registerUser(u"ndr_recipient"_s, u"tradesman"_s);
    const qint64 conversation = http.conversation(sender, recipient.id);
    QVERIFY(conversation > 0);
    WsClient from;
    QVERIFY(from.open(daemon.wsUrl(), sender.token));
    QVERIFY(!from.nextOfType(u"hello"_s).isEmpty());
    QVERIFY(sendAndAck(from, conversation, u"burst"_s, 3));
    QTRY_COMPARE_WITH_TIMEOUT(receiver.requests.size(), 1, 30000);
    checkSignature(receiver.requests.first());
    QCOMPARE(QJsonDocument::fromJson(receiver.requests.first().body)
                 .object()
                 .value(u"unreadMessages"_s)
                 .toInteger(),
             3);
    QCOMPARE(worker.state(), QProcess::Running);
}

QTEST_MAIN(tst_NotifyDaemon)
#include "tst_notify_daemon.moc"
