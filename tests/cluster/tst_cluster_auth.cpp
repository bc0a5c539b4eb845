// Three instances on a Redis that requires a login with the ACL file that
// deploy/redis ships (default user off) and PostgreSQL: the daemon logs in
// with the user and password of its --redis URL and everything works; a
// wrong or missing password leaves it not ready and never in the log. A
// login on one instance racing a ban on another leaves no working token on
// any instance, not even after an unban; a revocation that no broadcast
// carried is caught by the periodic re-check; identity forged in Redis by
// whoever can write it is refused. (Audit findings 3 and 13.)

#include "daemon_process.h"
#include "http_client.h"
#include "redis_cli.h"
#include "service_processes.h"
#include "test_env.h"
#include "ws_client.h"

#include <QCryptographicHash>
#include <QFile>
#include <QNetworkReply>
#include <QSqlQuery>
#include <QtTest>
#include <memory>

using namespace sanayicin::test;

namespace {

// Characters a URL must escape, and a few it need not.
const QByteArray kRedisPassword = "Tr0ub4dor&3:p@ss/w%rd";
const QString kPassword = QStringLiteral("password123");

QString unique(const char *prefix)
{
    static int counter = 0;
    return QStringLiteral("%1_%2").arg(QLatin1StringView(prefix)).arg(++counter);
}


} // namespace

class tst_ClusterAuth : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void aclLoginCarriesTheCluster();
    void wrongOrMissingRedisPasswordIsNotReady();
    void forgedRedisSessionIsRefusedEverywhere();
    void loginRacingBanAcrossInstances();
    void recheckCatchesALostBroadcast();

private:
    QString redisUrl(const QByteArray &password) const;
    bool startInstance(const QStringList &extra, QString &error);
    HttpClient &http(int i) { return *m_http[size_t(i)]; }

    QTemporaryDir m_dir;
    QString m_database;
    RedisServer m_redis;
    std::vector<std::unique_ptr<DaemonProcess>> m_daemons;
    std::vector<std::unique_ptr<HttpClient>> m_http;
    QString m_adminToken;
};

QString tst_ClusterAuth::redisUrl(const QByteArray &password) const
{
    // Concatenated, not arg(): the escapes (%2F, %25) would read as arg markers.
    return QStringLiteral("redis://sanayicin:") + QString::fromLatin1(password.toPercentEncoding())
           + QStringLiteral("@127.0.0.1:") + QString::number(m_redis.port()) + QStringLiteral("/0");
}

bool tst_ClusterAuth::startInstance(const QStringList &extra, QString &error)
{
    auto d = std::make_unique<DaemonProcess>();
    const int i = int(m_daemons.size());
    QStringList args = DaemonProcess::defaultArgs();
    args << QStringLiteral("--redis") << redisUrl(kRedisPassword) << QStringLiteral("--instance-id")
         << QStringLiteral("auth%1").arg(i + 1) << QStringLiteral("--session-recheck-s")
         << QStringLiteral("1") << extra;
    if (!d->start(m_database, args, error))
        return false;
    m_http.push_back(std::make_unique<HttpClient>(d->httpUrl(QString())));
    m_daemons.push_back(std::move(d));
    return true;
}

void tst_ClusterAuth::initTestCase()
{
    QString error;
    // The shipped ACL file, with this run's password hashed in.
    QFile shipped(QStringLiteral(SANAYICIN_SOURCE_DIR "/deploy/redis/users.acl.example"));
    QVERIFY(shipped.open(QIODevice::ReadOnly));
    QByteArray acl = shipped.readAll();
    const QByteArray hash = QCryptographicHash::hash(kRedisPassword, QCryptographicHash::Sha256).toHex();
    QVERIFY(acl.contains("#SHA256-OF-THE-PASSWORD"));
    acl.replace("#SHA256-OF-THE-PASSWORD", '#' + hash);
    const QString aclPath = m_dir.filePath(QStringLiteral("users.acl"));
    QFile out(aclPath);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(acl);
    out.close();
    m_redis.setExtraArgs({QStringLiteral("--aclfile"), aclPath});
    QVERIFY2(m_redis.start(error), qPrintable(error));
    // Nobody gets in without logging in.
    QVERIFY(redisCommand(m_redis.port(), {"PING"}).startsWith("-NOAUTH"));
    QCOMPARE(redisCommand(m_redis.port(), {"PING"}, "sanayicin", kRedisPassword), QByteArray("PONG"));
    // ...and the daemon's user cannot do what it never needs.
    QVERIFY(redisCommand(m_redis.port(), {"FLUSHALL"}, "sanayicin", kRedisPassword).startsWith("-NOPERM"));
    QVERIFY(redisCommand(m_redis.port(), {"SET", "other:key", "x"}, "sanayicin", kRedisPassword).startsWith("-NOPERM"));

    m_database = freshDatabaseUrl(QStringLiteral("postgresql"), m_dir.path());
    // Instance 1 hashes slowly (about a second a verify): the race below
    // needs the login held in its password check.
    QVERIFY2(startInstance({QStringLiteral("--argon2-memory-kib"), QStringLiteral("131072"),
                            QStringLiteral("--argon2-iterations"), QStringLiteral("6"),
                            QStringLiteral("--hash-threads"), QStringLiteral("1")},
                           error),
             qPrintable(error));
    QVERIFY2(startInstance({}, error), qPrintable(error));
    QVERIFY2(startInstance({}, error), qPrintable(error));
    for (int i = 0; i < 3; ++i)
        QTRY_VERIFY2_WITH_TIMEOUT(http(i).metric("sanayicin_bridge_connected") == 1,
                                  m_daemons[size_t(i)]->log().right(3000).constData(), 10000);
    QVERIFY2(DaemonProcess::createUser(m_database, QStringLiteral("root_admin"), QStringLiteral("admin-secret-1"),
                                       true, error),
             qPrintable(error));
    m_adminToken = http(1).login(QStringLiteral("root_admin"), QStringLiteral("admin-secret-1")).token;
    QVERIFY(!m_adminToken.isEmpty());
}

void tst_ClusterAuth::aclLoginCarriesTheCluster()
{
    // Messages, presence, rate limits and caches all run on the ACL user:
    // a message from instance 2 reaches instance 3, presence too.
    const auto a = http(1).registerUser(unique("acl"));
    const auto b = http(1).registerUser(unique("acl"), QStringLiteral("tradesman"));
    const qint64 conv = http(1).conversation(a, b.id);
    WsClient wa, wb;
    QVERIFY(!wa.connectAndHello(m_daemons[1]->wsUrl(), a.token).isEmpty());
    QVERIFY(!wb.connectAndHello(m_daemons[2]->wsUrl(), b.token).isEmpty());
    QVERIFY(!wa.sendAndAck(conv, QStringLiteral("acl1"), QStringLiteral("merhaba")).isEmpty());
    const QJsonObject got = wb.nextOfType(QStringLiteral("message"), 10000);
    QCOMPARE(got.value(QStringLiteral("message")).toObject().value(QStringLiteral("body")).toString(),
             QStringLiteral("merhaba"));
    wb.close();
    QVERIFY(wb.waitClosed());
    const QJsonObject off = wa.nextWhere([&](const QJsonObject &o) {
        return o.value(QStringLiteral("type")).toString() == u"presence"
               && o.value(QStringLiteral("user_id")).toInteger() == b.id
               && !o.value(QStringLiteral("online")).toBool();
    }, 10000);
    QVERIFY(!off.isEmpty());
    QCOMPARE(http(2).get(QStringLiteral("/readyz")).status, 200);
    QVERIFY(!m_daemons[1]->log().contains("refused"));
}

void tst_ClusterAuth::wrongOrMissingRedisPasswordIsNotReady()
{
    for (const QByteArray &password : {QByteArray("not-the-password-42"), QByteArray()}) {
        DaemonProcess d;
        QString error;
        const QString url = password.isEmpty()
                                ? QStringLiteral("redis://127.0.0.1:%1/0").arg(m_redis.port())
                                : redisUrl(password);
        QVERIFY2(d.start(m_database, DaemonProcess::defaultArgs() << QStringLiteral("--redis") << url, error),
                 qPrintable(error));
        HttpClient h(d.httpUrl(QString()));
        // It serves (its own buckets, no shared caches) but is not ready,
        // and says why without the password.
        QTRY_VERIFY_WITH_TIMEOUT(d.log().contains("refused by"), 10000);
        const HttpResult ready = h.get(QStringLiteral("/readyz"));
        QCOMPARE(ready.status, 503);
        QVERIFY(ready.json().value(QStringLiteral("down")).toArray().contains(QStringLiteral("redis")));
        QCOMPARE(h.metric("sanayicin_bridge_connected"), 0.0);
        if (!password.isEmpty()) {
            QVERIFY(d.log().contains("WRONGPASS"));
            QVERIFY2(!d.log().contains(password), d.log().constData());
            QVERIFY(!d.log().contains(password.toPercentEncoding()));
        }
        QVERIFY(!d.log().contains(kRedisPassword));
        QCOMPARE(d.terminate(), 0);
    }
}

void tst_ClusterAuth::forgedRedisSessionIsRefusedEverywhere()
{
    // Someone with the daemon's Redis login writes a session for a token of
    // their own making, with an admin role, where the old cache level read it.
    const auto victim = http(0).registerUser(unique("victim"));
    const QByteArray token = "made-up-token-with-enough-length-to-look-real";
    const QByteArray hash = QCryptographicHash::hash(token, QCryptographicHash::Sha256).toHex();
    const QByteArray entry = "{\"u\":{\"id\":" + QByteArray::number(victim.id)
                             + ",\"username\":\"x\",\"display_name\":\"x\",\"role\":\"admin\","
                               "\"created_at\":\"2026-01-01T00:00:00.000Z\"},\"e\":"
                             + QByteArray::number(QDateTime::currentMSecsSinceEpoch() + 3600000) + ",\"c\":0}";
    QCOMPARE(redisCommand(m_redis.port(), {"SET", "sanayicin:session:" + hash, entry, "EX", "600"}, "sanayicin",
                          kRedisPassword),
             QByteArray("OK"));
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(http(i).get(QStringLiteral("/api/v1/me"), QString::fromLatin1(token)).status, 401);
        QCOMPARE(http(i).get(QStringLiteral("/api/v1/admin/stats"), QString::fromLatin1(token)).status, 401);
    }
}

void tst_ClusterAuth::loginRacingBanAcrossInstances()
{
    const QString name = unique("racer");
    const auto victim = http(0).registerUser(name); // hashed slowly on instance 1
    QVERIFY(victim.id > 0);
    QNetworkAccessManager nam;
    QNetworkRequest req(m_daemons[0]->httpUrl(QStringLiteral("/api/v1/auth/login")));
    req.setRawHeader("Content-Type", "application/json");
    QNetworkReply *reply = nam.post(req, QJsonDocument(QJsonObject{{QStringLiteral("username"), name},
                                                                   {QStringLiteral("password"), kPassword}})
                                             .toJson(QJsonDocument::Compact));
    QTRY_VERIFY_WITH_TIMEOUT(http(0).metric("sanayicin_password_hash_running") >= 1, 10000);
    // The ban on instance 2 while instance 1 checks the password.
    QCOMPARE(http(1).post(QStringLiteral("/api/v1/admin/users/%1/ban").arg(victim.id), QJsonObject{}, m_adminToken)
                 .status,
             204);
    QVERIFY(!reply->isFinished());
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 30000);
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QString token = QJsonDocument::fromJson(reply->readAll()).object().value(QStringLiteral("token")).toString();
    reply->deleteLater();
    QVERIFY2(status == 403 || status == 200, qPrintable(QString::number(status)));
    QCOMPARE(http(1).post(QStringLiteral("/api/v1/admin/users/%1/unban").arg(victim.id), QJsonObject{}, m_adminToken)
                 .status,
             204);
    if (token.isEmpty())
        return;
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(http(i).get(QStringLiteral("/api/v1/me"), token).status, 401);
        WsClient ws;
        ws.open(m_daemons[size_t(i)]->wsUrl(), token);
        QVERIFY(ws.waitClosed());
        QCOMPARE(ws.closeCode(), 4001);
    }
}

void tst_ClusterAuth::recheckCatchesALostBroadcast()
{
    // A ban that no instance heard of (written to the database directly, as
    // if its broadcast were lost): every instance closes the user's sockets
    // within the re-check period.
    const auto u = http(1).registerUser(unique("lost"));
    std::vector<std::unique_ptr<WsClient>> sockets;
    for (int i = 0; i < 3; ++i) {
        sockets.push_back(std::make_unique<WsClient>());
        QVERIFY(!sockets.back()->connectAndHello(m_daemons[size_t(i)]->wsUrl(), u.token).isEmpty());
    }
    {
        QSqlDatabase db = openPostgres(m_database, QStringLiteral("lost"));
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("UPDATE users SET banned_at = 1, session_generation = session_generation + 1 "
                                      "WHERE id = %1").arg(u.id)));
    }
    QSqlDatabase::removeDatabase(QStringLiteral("lost"));
    for (auto &s : sockets) {
        QVERIFY(s->waitClosed(10000));
        QCOMPARE(s->closeCode(), 4003);
    }
}

QTEST_MAIN(tst_ClusterAuth)
#include "tst_cluster_auth.moc"
