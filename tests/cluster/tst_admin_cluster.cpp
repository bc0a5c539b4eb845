// The console's cluster views against three real instances on one
// PostgreSQL and one Redis: connections of every instance in one listing,
// filters, sort and paging exact across instances, an instance stopped with
// SIGSTOP reported as "timeout" within the deadline, a kick of one
// connection on another instance, every instance's queues, and the stats
// series (per instance and summed for the cluster).

#include "daemon_process.h"
#include "http_client.h"
#include "service_processes.h"
#include "test_env.h"
#include "ws_client.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QtTest>
#include <csignal>
#include <memory>

using namespace sanayicin::test;
using namespace Qt::StringLiterals;

namespace {

constexpr int kTimeoutMs = 1000; // --admin-cluster-timeout-ms

QJsonArray items(const HttpResult &r)
{
    return r.json().value(QStringLiteral("items")).toArray();
}

// id -> state of the "instances" member.
QMap<QString, QString> states(const HttpResult &r)
{
    QMap<QString, QString> out;
    for (const auto &v : r.json().value(QStringLiteral("instances")).toArray())
        out.insert(v.toObject().value(QStringLiteral("id")).toString(),
                   v.toObject().value(QStringLiteral("state")).toString());
    return out;
}

const QMap<QString, QString> kAllOk{{QStringLiteral("node1"), QStringLiteral("ok")},
                                    {QStringLiteral("node2"), QStringLiteral("ok")},
                                    {QStringLiteral("node3"), QStringLiteral("ok")}};

} // namespace

class tst_AdminCluster : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();
    void connectionsOfEveryInstance();
    void filtersSortAndPagingAcrossInstances();
    void kickOneConnectionOnAnotherInstance();
    void queuesOfEveryInstance();
    void statsSeriesMoveAndSumUp();
    void stoppedInstanceIsReportedAsTimeout();

private:
    HttpClient &http(int i) { return *m_http[size_t(i)]; }
    QString path(const QString &query) const { return QStringLiteral("/api/v1/admin/connections") + query; }
    // The rows of every page of `query` (limit 2), in order.
    QJsonArray allPages(const QString &query, int from);

    QTemporaryDir m_dir;
    QString m_database;
    RedisServer m_redis;
    std::vector<std::unique_ptr<DaemonProcess>> m_daemons;
    std::vector<std::unique_ptr<HttpClient>> m_http;
    QString m_admin;
    qint64 m_adminId = 0;
};

void tst_AdminCluster::initTestCase()
{
    QString error;
    m_database = freshDatabaseUrl(QStringLiteral("postgresql"), m_dir.path());
    QVERIFY2(m_redis.start(error), qPrintable(error));
    QVERIFY2(DaemonProcess::createUser(m_database, QStringLiteral("root_admin"),
                                       QStringLiteral("admin-password"), true, error),
             qPrintable(error));
    for (int i = 0; i < 3; ++i) {
        auto d = std::make_unique<DaemonProcess>();
        QStringList args = DaemonProcess::defaultArgs();
        args << QStringLiteral("--redis") << m_redis.url() << QStringLiteral("--instance-id")
             << QStringLiteral("node%1").arg(i + 1) << QStringLiteral("--admin-cluster-timeout-ms")
             << QString::number(kTimeoutMs);
        QVERIFY2(d->start(m_database, args, error), qPrintable(error));
        m_http.push_back(std::make_unique<HttpClient>(d->httpUrl(QString())));
        m_daemons.push_back(std::move(d));
    }
    const auto admin = http(0).login(QStringLiteral("root_admin"), QStringLiteral("admin-password"));
    QVERIFY(!admin.token.isEmpty());
    m_admin = admin.token;
    m_adminId = admin.id;
    // Every instance sees the others' heartbeats before the tests start.
    for (int i = 0; i < 3; ++i)
        QTRY_COMPARE_WITH_TIMEOUT(
            items(http(i).get(QStringLiteral("/api/v1/admin/instances"), m_admin)).size(), 3, 15000);
}

void tst_AdminCluster::cleanupTestCase()
{
    for (auto &d : m_daemons)
        if (d) {
            ::kill(pid_t(d->pid()), SIGCONT);
            d->terminate();
        }
}

void tst_AdminCluster::cleanup()
{
    if (!QTest::currentTestFailed())
        return;
    for (size_t i = 0; i < m_daemons.size(); ++i)
        qWarning().noquote() << "---- log of node" << i + 1 << "----\n"
                             << QString::fromUtf8(m_daemons[i]->log().right(4000));
}

void tst_AdminCluster::connectionsOfEveryInstance()
{
    // One user per instance, connected there.
    std::vector<std::unique_ptr<WsClient>> sockets;
    QMap<qint64, QString> where;
    for (int i = 0; i < 3; ++i) {
        const auto u = http(i).registerUser(QStringLiteral("every_%1").arg(i));
        auto ws = std::make_unique<WsClient>();
        QVERIFY(!ws->connectAndHello(m_daemons[size_t(i)]->wsUrl(), u.token).isEmpty());
        sockets.push_back(std::move(ws));
        where.insert(u.id, QStringLiteral("node%1").arg(i + 1));
    }
    for (int asker = 0; asker < 3; ++asker) {
        const HttpResult r = http(asker).get(path(QStringLiteral("?username=every_&limit=500")), m_admin);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value(QStringLiteral("instance")).toString(), QStringLiteral("node%1").arg(asker + 1));
        QCOMPARE(states(r), kAllOk);
        QCOMPARE(r.json().value(QStringLiteral("total")).toInteger(), 3);
        QMap<qint64, QString> listed;
        for (const auto &v : items(r))
            listed.insert(v.toObject().value(QStringLiteral("user_id")).toInteger(),
                          v.toObject().value(QStringLiteral("instance")).toString());
        QCOMPARE(listed, where);
    }
    // Closed connections leave the listing.
    sockets.clear();
    QTRY_COMPARE_WITH_TIMEOUT(
        http(1).get(path(QStringLiteral("?username=every_")), m_admin).json().value(QStringLiteral("total")).toInteger(),
        0, 10000);
}

QJsonArray tst_AdminCluster::allPages(const QString &query, int from)
{
    QJsonArray out;
    for (int offset = 0;; offset += 2) {
        const HttpResult r = http(from).get(path(query + QStringLiteral("&limit=2&offset=%1").arg(offset)), m_admin);
        if (r.status != 200)
            return {};
        const QJsonArray page = items(r);
        for (const auto &v : page)
            out.append(v);
        if (page.size() < 2)
            return out;
    }
}

void tst_AdminCluster::filtersSortAndPagingAcrossInstances()
{
    // Seven users spread over the instances, one of them twice.
    struct Row
    {
        QString username, instance;
        qint64 userId;
    };
    QList<Row> rows;
    std::vector<std::unique_ptr<WsClient>> sockets;
    const QStringList names{u"ifx_e"_s, u"ifx_a"_s, u"ifx_g"_s, u"ifx_c"_s, u"ifx_b"_s, u"ifx_f"_s, u"ifx_d"_s};
    HttpClient::Account twice;
    for (qsizetype i = 0; i < names.size(); ++i) {
        const int at = int(i % 3);
        const auto u = http(at).registerUser(names[i]);
        auto ws = std::make_unique<WsClient>();
        QVERIFY(!ws->connectAndHello(m_daemons[size_t(at)]->wsUrl(), u.token).isEmpty());
        sockets.push_back(std::move(ws));
        rows << Row{names[i], QStringLiteral("node%1").arg(at + 1), u.id};
        if (i == 0)
            twice = u;
    }
    auto again = std::make_unique<WsClient>();
    QVERIFY(!again->connectAndHello(m_daemons[2]->wsUrl(), twice.token).isEmpty());
    sockets.push_back(std::move(again));
    rows << Row{names[0], QStringLiteral("node3"), twice.id};

    // By user name, descending (ties: instance, then id), paged by two from
    // every instance: the pages neither repeat nor skip, and the order is
    // the one expected. "İFX" folds to "ifx" as the directory search folds it.
    QList<Row> expected = rows;
    std::sort(expected.begin(), expected.end(), [](const Row &a, const Row &b) {
        return a.username != b.username ? a.username > b.username : a.instance > b.instance;
    });
    for (int from = 0; from < 3; ++from) {
        const QJsonArray all = allPages(QStringLiteral("?username=%C4%B0FX&sort=username&order=desc"), from);
        QCOMPARE(all.size(), expected.size());
        for (qsizetype i = 0; i < all.size(); ++i) {
            QCOMPARE(all[i].toObject().value(QStringLiteral("username")).toString(), expected[i].username);
            QCOMPARE(all[i].toObject().value(QStringLiteral("instance")).toString(), expected[i].instance);
        }
    }
    // One page in the middle, exact, with the total of all instances.
    const HttpResult mid = http(0).get(path(QStringLiteral("?username=ifx&sort=username&limit=3&offset=2")), m_admin);
    QCOMPARE(mid.json().value(QStringLiteral("total")).toInteger(), rows.size());
    std::reverse(expected.begin(), expected.end()); // ascending, ties by instance ascending
    std::stable_sort(expected.begin(), expected.end(), [](const Row &a, const Row &b) {
        return a.username != b.username ? a.username < b.username : a.instance < b.instance;
    });
    QCOMPARE(items(mid).size(), 3);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(items(mid)[i].toObject().value(QStringLiteral("username")).toString(), expected[i + 2].username);

    // Filters: the user (both connections, two instances), the instance, the address.
    const HttpResult byUser = http(1).get(path(QStringLiteral("?user_id=%1&sort=instance").arg(twice.id)), m_admin);
    QCOMPARE(items(byUser).size(), 2);
    QCOMPARE(items(byUser)[0].toObject().value(QStringLiteral("instance")).toString(), QStringLiteral("node1"));
    QCOMPARE(items(byUser)[1].toObject().value(QStringLiteral("instance")).toString(), QStringLiteral("node3"));
    const HttpResult byInstance = http(0).get(path(QStringLiteral("?username=ifx&instance=node2")), m_admin);
    QCOMPARE(byInstance.json().value(QStringLiteral("total")).toInteger(), 2);
    for (const auto &v : items(byInstance))
        QCOMPARE(v.toObject().value(QStringLiteral("instance")).toString(), QStringLiteral("node2"));
    QCOMPARE(http(0).get(path(QStringLiteral("?username=ifx&address=127.0.0.")), m_admin).json().value(QStringLiteral("total")).toInteger(),
             rows.size());
    QCOMPARE(http(0).get(path(QStringLiteral("?username=ifx&address=10.")), m_admin).json().value(QStringLiteral("total")).toInteger(), 0);
    // Sorted by when they opened: the one opened last is last.
    const QJsonArray byOpened = allPages(QStringLiteral("?username=ifx&sort=opened_at"), 1);
    QCOMPARE(byOpened.size(), rows.size());
    QCOMPARE(byOpened.last().toObject().value(QStringLiteral("instance")).toString(), QStringLiteral("node3"));
    QCOMPARE(byOpened.last().toObject().value(QStringLiteral("user_id")).toInteger(), twice.id);
    QCOMPARE(http(0).get(path(QStringLiteral("?sort=size")), m_admin).status, 400);
}

void tst_AdminCluster::kickOneConnectionOnAnotherInstance()
{
    const auto u = http(1).registerUser(QStringLiteral("kicked_user"));
    WsClient first, second;
    QVERIFY(!first.connectAndHello(m_daemons[1]->wsUrl(), u.token).isEmpty());
    QVERIFY(!second.connectAndHello(m_daemons[1]->wsUrl(), u.token).isEmpty());
    const QJsonArray listed = items(http(0).get(path(QStringLiteral("?user_id=%1&sort=opened_at").arg(u.id)), m_admin));
    QCOMPARE(listed.size(), 2);
    const QJsonObject target = listed[0].toObject(); // the first opened
    QCOMPARE(target.value(QStringLiteral("instance")).toString(), QStringLiteral("node2"));
    const QString kick = QStringLiteral("/api/v1/admin/connections/node2/%1").arg(target.value(QStringLiteral("id")).toInteger());
    // Asked of node1: node2 closes exactly that socket, as a kick.
    QCOMPARE(http(0).del(kick, m_admin).status, 204);
    QVERIFY(first.waitClosed());
    QCOMPARE(first.closeCode(), 4000);
    QVERIFY(second.roundTrip());
    QVERIFY(second.isOpen());
    QCOMPARE(http(0).del(kick, m_admin).status, 404);
    QCOMPARE(http(0).del(QStringLiteral("/api/v1/admin/connections/node9/1"), m_admin).status, 404);
    // Written in the moderation log, against the connection's user.
    QSqlDatabase db = openPostgres(m_database, QStringLiteral("check"));
    QSqlQuery q(db);
    QVERIFY(q.exec(QStringLiteral("SELECT actor_id, target_user_id FROM moderation_log WHERE action = 'kick_connection'")));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toLongLong(), m_adminId);
    QCOMPARE(q.value(1).toLongLong(), u.id);
    QVERIFY(!q.next());
}

void tst_AdminCluster::queuesOfEveryInstance()
{
    const HttpResult r = http(2).get(QStringLiteral("/api/v1/admin/queues"), m_admin);
    QCOMPARE(r.status, 200);
    QCOMPARE(states(r), kAllOk);
    QMap<QString, QStringList> byInstance;
    for (const auto &v : items(r)) {
        const QJsonObject o = v.toObject();
        byInstance[o.value(QStringLiteral("instance")).toString()] << o.value(QStringLiteral("name")).toString();
        QVERIFY(o.contains(QStringLiteral("oldest_age_ms")));
    }
    QCOMPARE(byInstance.keys(), (QStringList{u"node1"_s, u"node2"_s, u"node3"_s}));
    for (const QStringList &names : byInstance)
        QCOMPARE(names, (QStringList{u"writer"_s, u"db_readers"_s}));
    QCOMPARE(items(r)[0].toObject().value(QStringLiteral("instance")).toString(), QStringLiteral("node3"));
}

void tst_AdminCluster::statsSeriesMoveAndSumUp()
{
    const auto a = http(0).registerUser(QStringLiteral("stats_a"));
    const auto b = http(1).registerUser(QStringLiteral("stats_b"));
    const qint64 conv = http(0).conversation(a, b.id);
    WsClient wa;
    QVERIFY(!wa.connectAndHello(m_daemons[0]->wsUrl(), a.token).isEmpty());
    for (int i = 0; i < 5; ++i)
        QVERIFY(!wa.sendAndAck(conv, QStringLiteral("s%1").arg(i), QStringLiteral("merhaba")).isEmpty());
    const QString series = QStringLiteral("/api/v1/admin/stats/series?window_s=60");
    // node1 received them; asked of node2 for node1, the same shows.
    auto received = [&](int from, const QString &instance) {
        const HttpResult r = http(from).get(series + QStringLiteral("&instance=") + instance, m_admin);
        double in = 0;
        bool ack = false;
        for (const auto &p : r.json().value(QStringLiteral("points")).toArray()) {
            in += p.toObject().value(QStringLiteral("messages_in")).toDouble();
            ack = ack || !p.toObject().value(QStringLiteral("ack_p99_ms")).isNull();
        }
        return std::make_pair(in, ack);
    };
    QTRY_COMPARE_WITH_TIMEOUT(received(0, u"node1"_s).first, 5.0, 5000);
    QVERIFY(received(0, u"node1"_s).second);
    QCOMPARE(received(1, u"node1"_s).first, 5.0);
    QCOMPARE(received(1, u"node2"_s).first, 0.0);
    QCOMPARE(http(1).get(series + u"&instance=node9"_s, m_admin).status, 404);

    // The cluster's points are the instances' summed, second by second (for
    // seconds that are over: their samples no longer change).
    auto points = [&](const QString &instance) {
        QMap<QString, QJsonObject> out;
        const HttpResult r = http(2).get(series + QStringLiteral("&instance=") + instance, m_admin);
        for (const auto &p : r.json().value(QStringLiteral("points")).toArray())
            out.insert(p.toObject().value(QStringLiteral("t")).toString(), p.toObject());
        return out;
    };
    // A few seconds of history on every instance first.
    QTRY_VERIFY_WITH_TIMEOUT(points(u"node3"_s).size() >= 8, 15000);
    const auto n1 = points(u"node1"_s), n2 = points(u"node2"_s), n3 = points(u"node3"_s);
    const auto cluster = points(u"cluster"_s);
    QVERIFY(cluster.size() >= 8);
    int compared = 0;
    const QStringList seconds = cluster.keys();
    for (qsizetype i = 0; i + 3 < seconds.size(); ++i) { // the last seconds may still move
        const QString &t = seconds[i];
        double in = 0;
        qint64 connections = 0;
        for (const auto *m : {&n1, &n2, &n3}) {
            in += m->value(t).value(QStringLiteral("messages_in")).toDouble();
            connections += m->value(t).value(QStringLiteral("connections")).toInteger();
        }
        QCOMPARE(cluster[t].value(QStringLiteral("messages_in")).toDouble(), in);
        QCOMPARE(cluster[t].value(QStringLiteral("connections")).toInteger(), connections);
        ++compared;
    }
    QVERIFY(compared > 0);
}

void tst_AdminCluster::stoppedInstanceIsReportedAsTimeout()
{
    const auto u = http(0).registerUser(QStringLiteral("stopped_peer"));
    WsClient ws;
    QVERIFY(!ws.connectAndHello(m_daemons[0]->wsUrl(), u.token).isEmpty());
    QCOMPARE(::kill(pid_t(m_daemons[2]->pid()), SIGSTOP), 0);
    QElapsedTimer t;
    t.start();
    const HttpResult r = http(0).get(path(QStringLiteral("?user_id=%1").arg(u.id)), m_admin);
    const qint64 took = t.elapsed();
    QCOMPARE(r.status, 200);
    QVERIFY2(took >= kTimeoutMs - 50 && took < kTimeoutMs + 1500, qPrintable(QString::number(took)));
    QCOMPARE(states(r).value(u"node3"_s), u"timeout"_s);
    QCOMPARE(states(r).value(u"node1"_s), u"ok"_s);
    QCOMPARE(states(r).value(u"node2"_s), u"ok"_s);
    QCOMPARE(items(r).size(), 1); // the others' rows are all there
    const HttpResult q = http(1).get(QStringLiteral("/api/v1/admin/queues"), m_admin);
    QCOMPARE(states(q).value(u"node3"_s), u"timeout"_s);
    QCOMPARE(items(q).size(), 4);
    QCOMPARE(http(0).del(QStringLiteral("/api/v1/admin/connections/node3/1"), m_admin).status, 503);
    QCOMPARE(::kill(pid_t(m_daemons[2]->pid()), SIGCONT), 0);
    QTRY_COMPARE_WITH_TIMEOUT(states(http(0).get(path(QString()), m_admin)), kAllOk, 10000);
}

QTEST_GUILESS_MAIN(tst_AdminCluster)
#include "tst_admin_cluster.moc"
