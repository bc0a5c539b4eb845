// Webhook notifications end to end on each database (SQLite and
// PostgreSQL rows): the producer on committed batches (a burst for an
// offline recipient becomes one job; an online one gets none), and the
// `webhook.notify` handler called directly against a real HTTP receiver on
// a loopback port: the signature checked as a receiver would, one POST per
// set of messages however often a job runs (one after another or at once),
// 5xx/408/429/timeouts/refused connections Retry, other 4xx Fail, and
// nothing sent to someone online or with nothing new.

#include "storage_test.h"
#include "redis_cli.h"
#include "webhook_receiver.h"

#include "notify/notify_producer.h"
#include "notify/redis_presence.h"
#include "notify/webhook_notifier.h"
#include "notify/webhook_signature.h"
#include "delivery/local_hub.h"
#include "delivery/presence_view.h"
#include "storage/db_pool.h"
#include "storage/message_batch.h"
#include "storage/message_store.h"
#include "time/clock.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QMutex>
#include <QSet>

using namespace sanayicin;
using namespace sanayicin::notify;
using namespace sanayicin::test;

namespace {

const QByteArray kSecret = "a-webhook-secret-of-some-length";

// Where the producer puts jobs, as the queue would be asked (from the
// producer's thread; `done` answers at once, on that thread).
class RecordingSink : public jobs::JobSink
{
public:
    void enqueue(jobs::JobSpec spec, std::function<void(bool, QString)> done) override
    {
        QMutexLocker lock(&mutex);
        specs << spec;
        const bool ok = !refuse;
        lock.unlock();
        if (done)
            done(ok, ok ? QStringLiteral("job-%1").arg(specs.size()) : QString());
    }
    qsizetype count()
    {
        QMutexLocker lock(&mutex);
        return specs.size();
    }
    QMutex mutex;
    QList<jobs::JobSpec> specs;
    bool refuse = false;
};

class CountingSink : public CommittedBatchSink
{
public:
    void committed(std::shared_ptr<const MessageBatch> batch) override { messages += batch->size(); }
    size_t messages = 0;
};

class OnlineSet
{
public:
    bool operator()(qint64 user) const
    {
        QMutexLocker lock(&mutex);
        return users.contains(user);
    }
    void set(qint64 user, bool online)
    {
        QMutexLocker lock(&mutex);
        online ? void(users.insert(user)) : void(users.remove(user));
    }
    mutable QMutex mutex;
    QSet<qint64> users;
};

jobs::Job jobFor(qint64 user, const QString &id)
{
    const jobs::JobSpec spec = webhookNotifyJob(user, nowMs(), 0);
    jobs::Job job;
    job.id = id;
    job.queue = spec.queue;
    job.type = spec.type;
    job.payload = spec.payload;
    return job;
}

} // namespace

class TestWebhookNotify : public StorageTest
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase_data() { addDialectRows(); }
    void initTestCase() { initSanayicinResources(); }
    void init()
    {
        QVERIFY(openDatabase());
        m_recipient = addUser(db(), QStringLiteral("musteri"));
        m_sender = addUser(db(), QStringLiteral("usta"), Role::Tradesman);
        m_conversation = openedByBoth(db(), m_recipient, m_sender, 1'700'000'000'000);
        QString error;
        const auto url = DatabaseUrl::parse(m_url, m_dir.path(), error);
        QVERIFY2(url, qPrintable(error));
        m_pool = std::make_unique<DbPool>(*url, 2, QStringLiteral("notify-test"), nullptr);
        QVERIFY2(m_pool->start(error), qPrintable(error));
        m_receiver = std::make_unique<WebhookReceiver>();
        m_online = std::make_shared<OnlineSet>();
        m_settings = NotifySettings{};
        m_settings.url = WebhookUrl::parse(m_receiver->url(), error);
        QVERIFY(m_settings.url);
        m_settings.secret = kSecret;
        m_settings.connectTimeoutMs = 2000;
        m_settings.totalTimeoutMs = 5000;
    }
    void cleanup()
    {
        m_notifier.reset();
        m_redisPresence.reset();
        m_pool->stop();
        m_pool.reset();
        m_receiver.reset();
        m_db.reset();
    }

    void aBurstForAnOfflineRecipientIsOneJobAndOnePost()
    {
        CountingSink next;
        RecordingSink sink;
        auto online = m_online;
        NotifyProducer producer(next, sink, [online](qint64 u) { return (*online)(u); }, 30000);
        producer.start();
        const qint64 before = nowMs();
        for (int b = 0; b < 3; ++b)
            producer.committed(batchOf(send(2)));
        QCOMPARE(next.messages, size_t(6)); // delivery got everything, first
        QTRY_COMPARE_WITH_TIMEOUT(producer.jobsEnqueued() + producer.recipientsInWindow(), quint64(3), 10000);
        QCOMPARE(sink.count(), 1);
        const jobs::JobSpec spec = sink.specs.first();
        QCOMPARE(spec.queue, u"notify"_qs);
        QCOMPARE(spec.type, u"webhook.notify"_qs);
        QCOMPARE(spec.dedupeKey, QStringLiteral("webhook.notify:%1").arg(m_recipient));
        QVERIFY(spec.notBeforeMs >= before + 30000 && spec.notBeforeMs <= nowMs() + 30000);
        producer.stop();

        jobs::Job job = jobFor(m_recipient, u"1700000000000-0"_qs);
        job.payload = spec.payload;
        QCOMPARE(int(runJob(job).outcome), int(jobs::JobOutcome::Done));
        QCOMPARE(m_receiver->requests.size(), 1);
        const auto &r = m_receiver->requests.first();
        QCOMPARE(r.method, QByteArray("POST"));
        QCOMPARE(r.target, QByteArray("/hook?token=t0ps3cret"));
        QCOMPARE(r.headers.value("content-type"), QByteArray("application/json"));
        QCOMPARE(r.headers.value("x-sanayicin-delivery"), QByteArray("1700000000000-0"));
        verifySignature(r);
        const QJsonObject body = QJsonDocument::fromJson(r.body).object();
        QCOMPARE(body.value(u"event").toString(), u"unread_messages"_qs);
        QCOMPARE(body.value(u"deliveryId").toString(), u"1700000000000-0"_qs);
        QCOMPARE(body.value(u"recipientId").toInteger(), m_recipient);
        QCOMPARE(body.value(u"unreadMessages").toInteger(), 6);
        QCOMPARE(body.value(u"conversationCount").toInteger(), 1);
        const QJsonObject c = body.value(u"conversations").toArray().first().toObject();
        QCOMPARE(c.value(u"conversationId").toInteger(), m_conversation);
        QCOMPARE(c.value(u"fromUserId").toInteger(), m_sender);
        QCOMPARE(c.value(u"fromDisplayName").toString(), u"USTA"_qs);
        QCOMPARE(c.value(u"unreadMessages").toInteger(), 6);
        QCOMPARE(c.value(u"lastMessageId").toInteger(), body.value(u"upToMessageId").toInteger());
        // Privacy by default: no message text.
        QVERIFY(!r.body.contains("gizli"));
        QVERIFY(!c.contains(u"preview"));
    }

    void anOnlineRecipientGetsNothing()
    {
        m_online->set(m_recipient, true);
        CountingSink next;
        RecordingSink sink;
        auto online = m_online;
        NotifyProducer producer(next, sink, [online](qint64 u) { return (*online)(u); }, 30000);
        producer.start();
        producer.committed(batchOf(send(3)));
        QCOMPARE(producer.recipientsOnline(), quint64(1));
        QCOMPARE(next.messages, size_t(3));
        producer.stop(); // whatever was queued has run or is dropped
        QCOMPARE(sink.count(), 0);

        // Online when the job runs (it came while they were away): nothing.
        QCOMPARE(int(runJob(jobFor(m_recipient, u"7"_qs)).outcome), int(jobs::JobOutcome::Done));
        QCOMPARE(m_notifier->skippedOnline(), quint64(1));
        // Offline again: the job sends.
        m_online->set(m_recipient, false);
        QCOMPARE(int(runJob(jobFor(m_recipient, u"8"_qs)).outcome), int(jobs::JobOutcome::Done));
        QCOMPARE(m_receiver->requests.size(), 1);
    }

    void theProducerAsksTheInstancesPresence()
    {
        // The daemon's presence source: this instance's connections, and
        // (with Redis) the PresenceView of every other instance's users.
        PresenceView view;
        LocalHub hub(view, nullptr);
        CountingSink next;
        RecordingSink sink;
        NotifyProducer producer(next, sink, [&hub](qint64 u) { return hub.isOnline(u); }, 30000);
        producer.start();
        QVERIFY(hub.connectionOpened(m_recipient)); // connected here
        producer.committed(batchOf(send(1)));
        QVERIFY(hub.connectionClosed(m_recipient));
        QVERIFY(view.apply(m_recipient, true, 1, nowMs())); // connected to another instance
        producer.committed(batchOf(send(1)));
        QCOMPARE(producer.recipientsOnline(), quint64(2));
        QVERIFY(view.apply(m_recipient, false, 2, nowMs())); // gone everywhere
        producer.committed(batchOf(send(1)));
        QTRY_COMPARE_WITH_TIMEOUT(producer.jobsEnqueued(), quint64(1), 10000);
        QCOMPARE(sink.count(), 1);
        QCOMPARE(sink.specs.first().dedupeKey, QStringLiteral("webhook.notify:%1").arg(m_recipient));
        producer.stop();
    }

    void aRefusedJobIsTriedAgainWithTheNextMessage()
    {
        CountingSink next;
        RecordingSink sink;
        sink.refuse = true;
        NotifyProducer producer(next, sink, [](qint64) { return false; }, 30000);
        producer.start();
        producer.committed(batchOf(send(1)));
        QTRY_COMPARE_WITH_TIMEOUT(producer.jobsRefused(), quint64(1), 10000);
        sink.refuse = false;
        producer.committed(batchOf(send(1)));
        QTRY_COMPARE_WITH_TIMEOUT(producer.jobsEnqueued(), quint64(1), 10000);
        QCOMPARE(sink.count(), 2);
        producer.stop();
    }

    void theSameJobTwiceSendsOnce()
    {
        send(3);
        const jobs::Job job = jobFor(m_recipient, u"42"_qs);
        QCOMPARE(int(runJob(job).outcome), int(jobs::JobOutcome::Done));
        QCOMPARE(int(runJob(job).outcome), int(jobs::JobOutcome::Done));
        QCOMPARE(m_receiver->requests.size(), 1);
        QCOMPARE(m_notifier->nothingNew(), quint64(1));
        // A later message: only it.
        const qint64 upTo = QJsonDocument::fromJson(m_receiver->requests[0].body)
                                .object().value(u"upToMessageId").toInteger();
        send(1);
        QCOMPARE(int(runJob(jobFor(m_recipient, u"43"_qs)).outcome), int(jobs::JobOutcome::Done));
        QCOMPARE(m_receiver->requests.size(), 2);
        const QJsonObject second = QJsonDocument::fromJson(m_receiver->requests[1].body).object();
        QCOMPARE(second.value(u"unreadMessages").toInteger(), 1);
        QVERIFY(second.value(u"conversations").toArray().first().toObject()
                    .value(u"firstMessageId").toInteger() > upTo);
    }

    void theSameJobAtOnceSendsOnce()
    {
        send(2);
        const jobs::Job job = jobFor(m_recipient, u"99"_qs);
        ensureNotifier();
        QList<jobs::JobResult> results;
        for (int i = 0; i < 2; ++i)
            m_notifier->run(job, [&results](jobs::JobResult r) { results << r; });
        QTRY_COMPARE_WITH_TIMEOUT(results.size(), 2, 15000);
        QCOMPARE(m_receiver->requests.size(), 1);
        QList<int> outcomes{int(results[0].outcome), int(results[1].outcome)};
        std::sort(outcomes.begin(), outcomes.end());
        QCOMPARE(outcomes, (QList<int>{int(jobs::JobOutcome::Done), int(jobs::JobOutcome::Retry)}));
        // The retry finds nothing new.
        QCOMPARE(int(runJob(job).outcome), int(jobs::JobOutcome::Done));
        QCOMPARE(m_receiver->requests.size(), 1);
    }

    void statuses_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("outcome");
        QTest::newRow("500") << 500 << int(jobs::JobOutcome::Retry);
        QTest::newRow("503") << 503 << int(jobs::JobOutcome::Retry);
        QTest::newRow("408") << 408 << int(jobs::JobOutcome::Retry);
        QTest::newRow("429") << 429 << int(jobs::JobOutcome::Retry);
        QTest::newRow("400") << 400 << int(jobs::JobOutcome::Fail);
        QTest::newRow("401") << 401 << int(jobs::JobOutcome::Fail);
        QTest::newRow("404") << 404 << int(jobs::JobOutcome::Fail);
        QTest::newRow("301, not followed") << 301 << int(jobs::JobOutcome::Fail);
    }
    void statuses()
    {
        QFETCH(int, status);
        QFETCH(int, outcome);
        send(2);
        m_receiver->status = status;
        const jobs::JobResult r = runJob(jobFor(m_recipient, u"5"_qs));
        QCOMPARE(int(r.outcome), outcome);
        QVERIFY(r.error.contains(QString::number(status)));
        QVERIFY(!r.error.contains(u"t0ps3cret"));
        // Nothing was recorded: once the receiver takes it, the same
        // messages go out (and the lease was given back).
        m_receiver->status = 200;
        QCOMPARE(int(runJob(jobFor(m_recipient, u"5"_qs)).outcome), int(jobs::JobOutcome::Done));
        QCOMPARE(m_receiver->requests.size(), 2);
        QCOMPARE(m_receiver->requests[0].body.size() > 0, true);
        const auto unread = [](const QByteArray &b) {
            return QJsonDocument::fromJson(b).object().value(u"unreadMessages").toInteger();
        };
        QCOMPARE(unread(m_receiver->requests[1].body), 2);
    }

    void aHugeAnswerIsNotReadToTheEnd()
    {
        send(1);
        m_receiver->bodyBytes = 8 * 1024 * 1024; // the status decides; the rest is cut off
        const jobs::JobResult r = runJob(jobFor(m_recipient, u"30"_qs));
        QCOMPARE(int(r.outcome), int(jobs::JobOutcome::Done));
        QCOMPARE(m_receiver->requests.size(), 1);
    }

    void batchesAfterStopReachDeliveryOnly()
    {
        CountingSink next;
        RecordingSink sink;
        NotifyProducer producer(next, sink, [](qint64) { return false; }, 30000);
        producer.start();
        producer.stop();
        producer.committed(batchOf(send(2)));
        QCOMPARE(next.messages, size_t(2));
        QCOMPARE(sink.count(), 0);
    }

    void aSilentReceiverIsATimeoutAndRetry()
    {
        send(1);
        m_receiver->status = 0; // reads, never answers
        // Only the whole exchange's deadline can pass here (on a loaded
        // machine it may do so before the request is out: still a timeout).
        m_settings.connectTimeoutMs = 60000;
        m_settings.totalTimeoutMs = 1000;
        const jobs::JobResult r = runJob(jobFor(m_recipient, u"6"_qs));
        QCOMPARE(int(r.outcome), int(jobs::JobOutcome::Retry));
        QVERIFY2(r.error.contains(u"timed out (total)"), qPrintable(r.error));
        QVERIFY(m_receiver->requests.size() <= 1);
        // The lease was given back: a receiver that answers gets the messages.
        m_receiver->status = 200;
        QCOMPARE(int(runJob(jobFor(m_recipient, u"6"_qs)).outcome), int(jobs::JobOutcome::Done));
        QVERIFY(!m_receiver->requests.isEmpty());
        QCOMPARE(QJsonDocument::fromJson(m_receiver->requests.last().body)
                     .object().value(u"unreadMessages").toInteger(), 1);
    }

    void aRefusedConnectionIsRetry()
    {
        send(1);
        quint16 closedPort = 0;
        {
            QTcpServer s;
            QVERIFY(s.listen(QHostAddress::LocalHost, 0));
            closedPort = s.serverPort();
        }
        QString error;
        m_settings.url = WebhookUrl::parse(QStringLiteral("http://127.0.0.1:%1/h").arg(closedPort), error);
        const jobs::JobResult r = runJob(jobFor(m_recipient, u"7"_qs));
        QCOMPARE(int(r.outcome), int(jobs::JobOutcome::Retry));
        QVERIFY2(r.error.contains(u"ConnectionRefused"), qPrintable(r.error));
    }

    void readMessagesAreNotAnnounced()
    {
        const auto stored = send(2);
        const Message &last = stored.back().message;
        QVERIFY(store::advanceReadCursor(db(), m_conversation, m_recipient, last.id, last.seq));
        QCOMPARE(int(runJob(jobFor(m_recipient, u"8"_qs)).outcome), int(jobs::JobOutcome::Done));
        QCOMPARE(m_receiver->requests.size(), 0);
        QCOMPARE(m_notifier->nothingNew(), quint64(1));
    }

    void aBannedRecipientGetsNothing()
    {
        send(2);
        QVERIFY(store::banUser(db(), m_recipient, QStringLiteral("spam"), nowMs()));
        QCOMPARE(int(runJob(jobFor(m_recipient, u"11"_qs)).outcome), int(jobs::JobOutcome::Done));
        QCOMPARE(m_receiver->requests.size(), 0);
    }

    void deletedMessagesAreNotCounted()
    {
        const auto stored = send(3);
        QVERIFY(store::deleteMessage(db(), stored[1].message.id, nowMs()));
        QCOMPARE(int(runJob(jobFor(m_recipient, u"12"_qs)).outcome), int(jobs::JobOutcome::Done));
        QCOMPARE(m_receiver->requests.size(), 1);
        const QJsonObject body = QJsonDocument::fromJson(m_receiver->requests[0].body).object();
        QCOMPARE(body.value(u"unreadMessages").toInteger(), 2);
    }

    void everyConversationInOneNotification()
    {
        const qint64 other = addUser(db(), QStringLiteral("kaportaci"), Role::Tradesman);
        const qint64 second = openedByBoth(db(), m_recipient, other, nowMs());
        send(2);
        store::storeMessageBatch(db(), {{other, second, u"o1"_qs, u"merhaba"_qs}}, nowMs());
        QCOMPARE(int(runJob(jobFor(m_recipient, u"13"_qs)).outcome), int(jobs::JobOutcome::Done));
        QCOMPARE(m_receiver->requests.size(), 1);
        const QJsonObject body = QJsonDocument::fromJson(m_receiver->requests[0].body).object();
        QCOMPARE(body.value(u"unreadMessages").toInteger(), 3);
        QCOMPARE(body.value(u"conversationCount").toInteger(), 2);
        const QJsonArray list = body.value(u"conversations").toArray();
        // Newest first.
        QCOMPARE(list[0].toObject().value(u"conversationId").toInteger(), second);
        QCOMPARE(list[0].toObject().value(u"fromUserId").toInteger(), other);
        QCOMPARE(list[1].toObject().value(u"conversationId").toInteger(), m_conversation);
        QCOMPARE(body.value(u"upToMessageId").toInteger(),
                 list[0].toObject().value(u"lastMessageId").toInteger());
    }

    void aWorkerAsksRedisWhoIsOnline()
    {
        // As `sanayicind worker` would: no PresenceView, the cluster's set.
        QString error;
        const auto url = RedisUrl::parse(TestEnv::redisUrl(), error);
        QVERIFY2(url, qPrintable(error));
        const QByteArray key = "sanayicin:online_all";
        const QByteArray user = QByteArray::number(m_recipient);
        redisCommand(quint16(url->port), {"SADD", key, user}, url->user.toUtf8(), url->password.toUtf8());
        m_redisPresence = std::make_unique<RedisPresence>(*url);
        m_redisPresence->start();
        send(2);
        QTRY_VERIFY_WITH_TIMEOUT(m_redisPresence->isConnected(), 10000);
        const jobs::JobResult r = runJob(jobFor(m_recipient, u"20"_qs));
        QCOMPARE(int(r.outcome), int(jobs::JobOutcome::Done));
        QCOMPARE(r.error, u"online: nothing sent"_qs);
        QCOMPARE(m_receiver->requests.size(), 0);
        redisCommand(quint16(url->port), {"SREM", key, user}, url->user.toUtf8(), url->password.toUtf8());
        QCOMPARE(int(runJob(jobFor(m_recipient, u"21"_qs)).outcome), int(jobs::JobOutcome::Done));
        QCOMPARE(m_receiver->requests.size(), 1);
    }

    void presenceUnknownIsRetry()
    {
        quint16 closedPort = 0;
        {
            QTcpServer s;
            QVERIFY(s.listen(QHostAddress::LocalHost, 0));
            closedPort = s.serverPort();
        }
        QString error;
        const auto url = RedisUrl::parse(QStringLiteral("redis://127.0.0.1:%1/0").arg(closedPort), error);
        QVERIFY(url);
        m_redisPresence = std::make_unique<RedisPresence>(*url);
        m_redisPresence->start();
        send(1);
        const jobs::JobResult r = runJob(jobFor(m_recipient, u"22"_qs));
        QCOMPARE(int(r.outcome), int(jobs::JobOutcome::Retry));
        QVERIFY2(r.error.contains(u"presence unknown"), qPrintable(r.error));
        QCOMPARE(m_receiver->requests.size(), 0);
    }

    void aBadPayloadFails()
    {
        send(1);
        jobs::Job job = jobFor(m_recipient, u"9"_qs);
        job.payload = R"({"userId":"1"})";
        QCOMPARE(int(runJob(job).outcome), int(jobs::JobOutcome::Fail));
        QCOMPARE(m_receiver->requests.size(), 0);
    }

    void jobsLeftWhenTheWebhookIsTurnedOffEndQuietly()
    {
        send(1);
        m_settings.url.reset();
        const jobs::JobResult r = runJob(jobFor(m_recipient, u"31"_qs));
        QCOMPARE(int(r.outcome), int(jobs::JobOutcome::Done));
        QVERIFY(r.error.contains(u"no webhook"));
        QCOMPARE(m_receiver->requests.size(), 0);
    }

    void thePreviewSettingAddsText()
    {
        send(2);
        m_settings.previewChars = 5;
        QCOMPARE(int(runJob(jobFor(m_recipient, u"10"_qs)).outcome), int(jobs::JobOutcome::Done));
        QCOMPARE(m_receiver->requests.size(), 1);
        const QJsonObject c = QJsonDocument::fromJson(m_receiver->requests[0].body)
                                  .object().value(u"conversations").toArray().first().toObject();
        QCOMPARE(c.value(u"preview").toString(), u"gizli…"_qs);
    }

private:
    std::vector<store::StoredSend> send(int n)
    {
        std::vector<store::PendingSend> sends;
        for (int i = 0; i < n; ++i)
            sends.push_back({m_sender, m_conversation, QStringLiteral("c%1").arg(m_clientIds++),
                             QStringLiteral("gizli mesaj %1").arg(i)});
        return store::storeMessageBatch(db(), sends, nowMs());
    }
    std::shared_ptr<const MessageBatch> batchOf(const std::vector<store::StoredSend> &stored)
    {
        auto batch = std::make_shared<MessageBatch>();
        for (const auto &s : stored)
            batch->push_back(DeliveredMessage::make(s.message, std::min(m_sender, m_recipient),
                                                    std::max(m_sender, m_recipient), 0));
        return batch;
    }
    void ensureNotifier()
    {
        if (m_notifier)
            return;
        auto online = m_online;
        WebhookNotifier::OnlineCheck check =
            m_redisPresence ? WebhookNotifier::OnlineCheck([p = m_redisPresence.get()](
                                  qint64 u, WebhookNotifier::Answer a) { p->isOnline(u, std::move(a)); })
                            : WebhookNotifier::localPresence([online](qint64 u) { return (*online)(u); });
        m_notifier = std::make_unique<WebhookNotifier>(m_settings, *m_pool, std::move(check));
    }
    jobs::JobResult runJob(const jobs::Job &job)
    {
        ensureNotifier();
        std::optional<jobs::JobResult> result;
        int calls = 0;
        m_notifier->handler()(job, [&](jobs::JobResult r) {
            ++calls;
            result = r;
        });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 15000); }();
        QCoreApplication::processEvents();
        [&] { QCOMPARE(calls, 1); }();
        return result.value_or(jobs::JobResult{jobs::JobOutcome::Fail, u"no answer"_qs});
    }
    static void verifySignature(const WebhookReceiver::Request &r)
    {
        // As a receiver does it: HMAC-SHA256(secret, timestamp "." body).
        const QByteArray ts = r.headers.value("x-sanayicin-timestamp");
        QVERIFY(!ts.isEmpty());
        QVERIFY(qAbs(ts.toLongLong() - nowMs() / 1000) < 300);
        const QByteArray expected =
            "v1=" + QMessageAuthenticationCode::hash(ts + "." + r.body, kSecret, QCryptographicHash::Sha256).toHex();
        QCOMPARE(r.headers.value("x-sanayicin-signature"), expected);
    }

    qint64 m_recipient = 0, m_sender = 0, m_conversation = 0;
    int m_clientIds = 0;
    std::unique_ptr<DbPool> m_pool;
    std::unique_ptr<WebhookReceiver> m_receiver;
    std::shared_ptr<OnlineSet> m_online;
    NotifySettings m_settings;
    std::unique_ptr<WebhookNotifier> m_notifier;
    std::unique_ptr<RedisPresence> m_redisPresence; // outlives m_notifier
};

QTEST_GUILESS_MAIN(TestWebhookNotify)
#include "tst_webhook_notify.moc"
