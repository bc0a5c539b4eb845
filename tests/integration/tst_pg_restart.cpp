// The daemon while its PostgreSQL (one of this suite's own) restarts under
// load: fast, immediate, kept down, and stopped again while still starting
// up. A client sends throughout and resends what was not acknowledged (same
// client_msg_id), another reads history over HTTP, a peer receives. The
// daemon never crashes, answers 503 / error "unavailable" while the database
// is away and nothing else, recovers after each restart, and every
// acknowledged message reaches the peer once, in order.

#include "daemon_process.h"
#include "http_client.h"
#include "service_processes.h"
#include "ws_client.h"

#include <QtTest>
#include <functional>

using namespace sanayicin::test;
using namespace Qt::StringLiterals;

class tst_PgRestart : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void restartsUnderLoad();

private:
    // One round of the load: the sender's next step, one HTTP read.
    void pump(int forMs);
    void sendStep(bool sendNew = true);
    bool recovered(int timeoutMs);

    PostgresServer m_pg;
    DaemonProcess m_daemon;
    std::unique_ptr<HttpClient> m_http;
    HttpClient::Account m_a, m_b;
    qint64 m_conv = 0;
    WsClient m_sender, m_peer;

    // The sender: one send in flight at a time, resent until acknowledged.
    QString m_pending;
    QElapsedTimer m_lastSend;
    int m_next = 0;
    QList<qint64> m_acked;
    int m_unavailableSends = 0;
    int m_okReads = 0, m_unavailableReads = 0;
    QStringList m_unexpected; // anything but success or "unavailable"
};

void tst_PgRestart::initTestCase()
{
    QString error;
    QVERIFY2(m_pg.start(error), qPrintable(error));
    QVERIFY2(m_pg.createDatabase(u"restarts"_s, error), qPrintable(error));
    // Freed memory reads as zeros in the daemon: a libpq handle used after
    // it was freed crashes at once instead of now and then (see
    // tests/storage/tst_db_reconnect.cpp).
    qputenv("ASAN_OPTIONS", qgetenv("ASAN_OPTIONS") + ":max_free_fill_size=1048576:free_fill_byte=0");
    // pump() reads every few milliseconds, faster than a user's HTTP budget
    // (50/s) whenever the answers come quickly (503s while the database is
    // away): the budget is not what this suite is about.
    const QStringList args = DaemonProcess::defaultArgs()
                             << u"--http-user-rate"_s << u"100000"_s << u"--http-user-burst"_s
                             << u"100000"_s << u"--http-address-rate"_s << u"100000"_s
                             << u"--http-address-burst"_s << u"100000"_s;
    QVERIFY2(m_daemon.start(m_pg.url(u"restarts"_s), args, error),
             qPrintable(error));
    m_http = std::make_unique<HttpClient>(m_daemon.httpUrl(QString()));
    m_a = m_http->registerUser(u"pg_sender"_s);
    m_b = m_http->registerUser(u"pg_peer"_s, u"tradesman"_s);
    m_conv = m_http->conversation(m_a, m_b.id);
    QVERIFY(m_conv > 0);
    QVERIFY(!m_sender.connectAndHello(m_daemon.wsUrl(), m_a.token).isEmpty());
    QVERIFY(!m_peer.connectAndHello(m_daemon.wsUrl(), m_b.token).isEmpty());
}

void tst_PgRestart::cleanup()
{
    if (QTest::currentTestFailed())
        qWarning().noquote() << "---- daemon log ----\n" << QString::fromUtf8(m_daemon.log().right(8000));
}

void tst_PgRestart::sendStep(bool sendNew)
{
    // Below the send rate limit (20 a second), resends included.
    if (m_lastSend.isValid() && m_lastSend.elapsed() < 60)
        return;
    if (!m_pending.isEmpty()) {
        const QString id = m_pending;
        const QJsonObject reply = m_sender.nextWhere(
            [&](const QJsonObject &o) {
                return o.value(u"client_msg_id"_s).toString() == id || o.value(u"ref"_s).toString() == id;
            },
            0);
        if (reply.isEmpty())
            return; // still in flight
        const QString type = reply.value(u"type"_s).toString();
        if (type == u"ack") {
            m_acked << reply.value(u"message"_s).toObject().value(u"id"_s).toInteger();
            m_pending.clear();
        } else if (reply.value(u"code"_s).toString() == u"unavailable") {
            ++m_unavailableSends;
            m_sender.send(WsClient::sendFrame(m_conv, id, u"message "_s + id)); // the same again
            m_lastSend.start();
            return;
        } else {
            m_unexpected << QString::fromUtf8(QJsonDocument(reply).toJson(QJsonDocument::Compact));
            m_pending.clear();
        }
    }
    if (!sendNew)
        return;
    m_pending = u"c%1"_s.arg(++m_next);
    m_sender.send(WsClient::sendFrame(m_conv, m_pending, u"message "_s + m_pending));
    m_lastSend.start();
}

void tst_PgRestart::pump(int forMs)
{
    QDeadlineTimer deadline(forMs);
    do {
        sendStep();
        const HttpResult r = m_http->get(u"/api/v1/conversations/%1/messages?limit=5"_s.arg(m_conv), m_b.token);
        if (r.status == 200)
            ++m_okReads;
        else if (r.status == 503 && r.errorCode() == u"unavailable")
            ++m_unavailableReads;
        else
            m_unexpected << u"GET: %1 %2"_s.arg(r.status).arg(QString::fromUtf8(r.body));
        QTest::qWait(5);
    } while (!deadline.hasExpired());
}

// A send acknowledged, a read answered and /readyz 200, all after now.
bool tst_PgRestart::recovered(int timeoutMs)
{
    const qsizetype acked = m_acked.size();
    const int reads = m_okReads;
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        pump(50);
        if (m_acked.size() > acked && m_okReads > reads && m_http->get(u"/readyz"_s).status == 200)
            return true;
        if (!m_daemon.isRunning())
            return false;
    }
    return false;
}

void tst_PgRestart::restartsUnderLoad()
{
    QString error;
    pump(300);
    QVERIFY(!m_acked.isEmpty());
    const std::vector<std::pair<const char *, std::function<bool(QString &)>>> steps{
        {"restart -m fast", [this](QString &e) { return m_pg.stop(u"fast"_s, e) && m_pg.startNoWait(e); }},
        {"restart -m immediate",
         [this](QString &e) { return m_pg.stop(u"immediate"_s, e) && m_pg.startNoWait(e); }},
        {"down for a while",
         [this](QString &e) {
             if (!m_pg.stop(u"immediate"_s, e))
                 return false;
             pump(1000); // every reconnect fails meanwhile
             return m_pg.startNoWait(e);
         }},
        {"stopped again while starting up",
         [this](QString &e) {
             if (!m_pg.stop(u"immediate"_s, e) || !m_pg.startNoWait(e) || !m_pg.waitStarted(10000))
                 return false;
             pump(30);
             return m_pg.stop(u"immediate"_s, e) && m_pg.startNoWait(e);
         }},
    };
    for (const auto &[name, run] : steps) {
        pump(200);
        QVERIFY2(run(error), qPrintable(u"%1: %2"_s.arg(QLatin1StringView(name), error)));
        QVERIFY2(m_pg.waitReady(60000), name);
        QVERIFY2(recovered(30000), qPrintable(u"%1: no recovery; daemon running: %2"_s
                                                  .arg(QLatin1StringView(name))
                                                  .arg(m_daemon.isRunning())));
    }
    QVERIFY2(m_unexpected.isEmpty(), qPrintable(m_unexpected.join(u'\n')));
    QVERIFY2(m_unavailableSends + m_unavailableReads > 0, "the outages were seen");
    qInfo() << "acknowledged" << m_acked.size() << "sends," << m_unavailableSends
            << "refused as unavailable;" << m_okReads << "reads," << m_unavailableReads << "answered 503";

    // Finish the last send, then the peer has every acknowledged message,
    // live or by sync, once and in order.
    QVERIFY(WsClient::waitUntil(
        [&] {
            sendStep(false);
            return m_pending.isEmpty();
        },
        15000));
    const qint64 last = m_acked.last();
    auto ids = [&] {
        QList<qint64> got;
        for (const QJsonObject &m : m_peer.received(u"message"_s))
            got << m.value(u"message"_s).toObject().value(u"id"_s).toInteger();
        return got;
    };
    if (!WsClient::waitUntil([&] { return ids().contains(last); }, 5000)) {
        // Missed live (delivery reads the database too): a client syncs.
        const qint64 after = ids().isEmpty() ? 0 : ids().last();
        m_peer.send({{u"type"_s, u"sync"_s}, {u"after_id"_s, after}, {u"limit"_s, 1000}});
        QVERIFY(!m_peer.nextOfType(u"synced"_s, 10000).isEmpty());
    }
    const QList<qint64> got = ids();
    for (qint64 id : std::as_const(m_acked))
        QVERIFY2(got.count(id) == 1, qPrintable(u"message %1 reached the peer %2 times"_s.arg(id).arg(got.count(id))));
    for (qsizetype i = 1; i < got.size(); ++i)
        QVERIFY(got[i] > got[i - 1]);

    QVERIFY(m_daemon.isRunning());
    QCOMPARE(m_daemon.terminate(), 0);
}

QTEST_MAIN(tst_PgRestart)
#include "tst_pg_restart.moc"
