// Rate limits have a Redis connection (and thread) of their own, apart from
// the bridge's publishing connection: a rate-limit call that Redis is slow
// to take (a slow script, a stalled link) must not hold up what another
// instance's users get. Two instances on one Redis and one PostgreSQL;
// instance A reaches Redis through a proxy in this test that can hold back
// one connection's traffic from the moment it carries the rate-limit script.

#include "daemon_process.h"
#include "http_client.h"
#include "service_processes.h"
#include "test_env.h"
#include "ws_client.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QtTest>
#include <memory>

using namespace sanayicin::test;

namespace {

// A TCP proxy to Redis. Once armed, the first connection whose client sends
// `marker` has that chunk and everything after it from its client held for
// `holdMs`, in order; the other connections flow freely.
class HoldingProxy : public QObject
{
public:
    bool start(quint16 target)
    {
        m_target = target;
        connect(&m_server, &QTcpServer::newConnection, this, &HoldingProxy::accept);
        return m_server.listen(QHostAddress::LocalHost, 0);
    }
    quint16 port() const { return m_server.serverPort(); }
    void arm(QByteArray marker, int holdMs)
    {
        m_marker = std::move(marker);
        m_holdMs = holdMs;
    }
    bool holding() const { return m_holding; }

private:
    struct Pipe
    {
        QTcpSocket *client = nullptr;
        QTcpSocket *server = nullptr;
        QByteArray held;
        bool holding = false;
        QByteArray tail; // the end of the last chunk: a marker may straddle two
    };

    void accept()
    {
        while (QTcpSocket *client = m_server.nextPendingConnection()) {
            auto pipe = std::make_shared<Pipe>();
            pipe->client = client;
            pipe->server = new QTcpSocket(client);
            pipe->server->connectToHost(QHostAddress::LocalHost, m_target);
            connect(client, &QTcpSocket::readyRead, this, [this, pipe] { fromClient(*pipe); });
            connect(pipe->server, &QTcpSocket::readyRead, client,
                    [pipe] { pipe->client->write(pipe->server->readAll()); });
            connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
            connect(pipe->server, &QTcpSocket::disconnected, client, [client] { client->close(); });
        }
    }

    void fromClient(Pipe &pipe)
    {
        const QByteArray data = pipe.client->readAll();
        if (pipe.holding) {
            pipe.held += data;
            return;
        }
        const QByteArray seen = pipe.tail + data;
        pipe.tail = seen.right(m_marker.size());
        if (!m_marker.isEmpty() && seen.contains(m_marker)) {
            m_marker.clear(); // once
            pipe.holding = m_holding = true;
            pipe.held = data;
            QPointer<QTcpSocket> server(pipe.server);
            QTimer::singleShot(m_holdMs, this, [this, &pipe, server] {
                m_holding = false;
                if (!server)
                    return;
                pipe.holding = false;
                server->write(pipe.held);
                pipe.held.clear();
            });
            return;
        }
        pipe.server->write(data);
    }

    QTcpServer m_server;
    quint16 m_target = 0;
    QByteArray m_marker;
    int m_holdMs = 0;
    bool m_holding = false;
};

QByteArray scriptSha(const char *name)
{
    QFile f(QStringLiteral(SANAYICIN_SOURCE_DIR "/resources/redis/%1.lua").arg(QLatin1StringView(name)));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha1).toHex();
}

} // namespace

class tst_RedisIsolation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_redis.start(error), qPrintable(error));
        QVERIFY(m_proxy.start(m_redis.port()));
        m_database = freshDatabaseUrl(QStringLiteral("postgresql"), m_dir.path());
        const QStringList urls{QStringLiteral("redis://127.0.0.1:%1/0").arg(m_proxy.port()), m_redis.url()};
        for (int i = 0; i < 2; ++i) {
            QStringList args = DaemonProcess::defaultArgs();
            args << QStringLiteral("--redis") << urls[i] << QStringLiteral("--instance-id")
                 << QStringLiteral("node%1").arg(i + 1);
            QVERIFY2(m_daemons[i].start(m_database, args, error), qPrintable(error));
            m_http[i] = std::make_unique<HttpClient>(m_daemons[i].httpUrl({}));
        }
        // Both connections up (a binary from before the split has no gauge
        // for the rate-limit one: the comparison run in the report).
        for (auto &http : m_http)
            QTRY_VERIFY_WITH_TIMEOUT(
                [&] {
                    const QByteArray text = http->get(QStringLiteral("/metrics")).body;
                    return text.contains("sanayicin_bridge_connected 1")
                           && (text.contains("sanayicin_redis_limits_connected 1")
                               || !text.contains("sanayicin_redis_limits_connected"));
                }(),
                15000);
    }

    // While a rate-limit call of instance A waits on Redis, a read receipt
    // from a user on A still reaches the peer on B at once: A's publishing
    // connection does not queue behind the rate-limit call.
    void slowRateLimitDoesNotDelayFanOut()
    {
        const QByteArray sha = scriptSha("rate_limit");
        QVERIFY(!sha.isEmpty());
        const auto alice = m_http[0]->registerUser(QStringLiteral("iso_alice"));
        const auto bob = m_http[0]->registerUser(QStringLiteral("iso_bob"));
        const qint64 conv = m_http[0]->conversation(alice, bob.id);
        WsClient a, b;
        QVERIFY(!a.connectAndHello(m_daemons[0].wsUrl(), alice.token).isEmpty());
        QVERIFY(!b.connectAndHello(m_daemons[1].wsUrl(), bob.token).isEmpty());
        // Across instances both ways before anything is held.
        const QJsonObject m = b.sendAndAck(conv, QStringLiteral("iso-1"), QStringLiteral("merhaba"));
        QVERIFY(!m.isEmpty());
        QVERIFY(!a.nextOfType(QStringLiteral("message"), 10000).isEmpty());

        // A request to A spends its per-address budget: the rate-limit script
        // goes to Redis and is held there for 2.5 s.
        constexpr int kHoldMs = 2500;
        m_proxy.arm(sha, kHoldMs);
        QNetworkAccessManager nam;
        std::unique_ptr<QNetworkReply> slow(
            nam.get(QNetworkRequest(m_daemons[0].httpUrl(QStringLiteral("/healthz")))));
        QTRY_VERIFY_WITH_TIMEOUT(m_proxy.holding(), 5000);

        QElapsedTimer t;
        t.start();
        a.send({{QStringLiteral("type"), QStringLiteral("read")},
                {QStringLiteral("conversation_id"), conv},
                {QStringLiteral("message_id"), m.value(QStringLiteral("id")).toInteger()}});
        const QJsonObject receipt = b.nextOfType(QStringLiteral("read"), 10000);
        const qint64 latencyMs = t.elapsed();
        qInfo("read receipt A -> B while a rate-limit call was held: %lld ms", latencyMs);
        QVERIFY(!receipt.isEmpty());
        QVERIFY2(latencyMs < 1000, qPrintable(QString::number(latencyMs)));
        QVERIFY(m_proxy.holding()); // it was measured inside the hold

        // The held request is answered once Redis has taken its script.
        QTRY_VERIFY_WITH_TIMEOUT(slow->isFinished(), 10000);
        QCOMPARE(slow->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    }

    void cleanupTestCase()
    {
        for (auto &d : m_daemons)
            QCOMPARE(d.terminate(), 0);
    }

private:
    QTemporaryDir m_dir;
    QString m_database;
    RedisServer m_redis;
    HoldingProxy m_proxy;
    DaemonProcess m_daemons[2];
    std::unique_ptr<HttpClient> m_http[2];
};

QTEST_GUILESS_MAIN(tst_RedisIsolation)
#include "tst_redis_isolation.moc"
