#include "notify_producer.h"

#include "logging/log.h"
#include "threading/mailbox.h"
#include "time/clock.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaObject>
#include <algorithm>

namespace sanayicin::notify {

jobs::JobSpec webhookNotifyJob(qint64 recipientId, qint64 nowMs, qint64 batchMs)
{
    jobs::JobSpec spec;
    spec.queue = QLatin1StringView(kNotifyQueue);
    spec.type = QLatin1StringView(kWebhookNotifyJob);
    spec.payload = QJsonDocument(QJsonObject{{QStringLiteral("userId"), recipientId}})
                       .toJson(QJsonDocument::Compact);
    spec.dedupeKey = QStringLiteral("webhook.notify:%1").arg(recipientId);
    spec.notBeforeMs = batchMs > 0 ? nowMs + batchMs : 0;
    return spec;
}

NotifyProducer::NotifyProducer(CommittedBatchSink &next, jobs::JobSink &sink,
                               OnlineCheck isOnline, qint64 batchMs)
    : m_next(next), m_sink(sink), m_isOnline(std::move(isOnline)), m_batchMs(batchMs)
{
    m_thread.setObjectName(QStringLiteral("notify"));
}

NotifyProducer::~NotifyProducer()
{
    stop();
    // Its thread has ended: what was posted to it since is dropped with it.
    delete m_home;
}

void NotifyProducer::start()
{
    m_home = new QObject;
    m_home->moveToThread(&m_thread);
    m_thread.start();
}

void NotifyProducer::stop()
{
    if (!m_thread.isRunning())
        return;
    // Answers of the sink to this thread are dropped from now on. m_home
    // stays (deleted with this object), so a batch committed meanwhile
    // posts to a thread that never runs it instead of to freed memory.
    QMetaObject::invokeMethod(m_home, [] { Mailbox::closeHere(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void NotifyProducer::committed(std::shared_ptr<const MessageBatch> batch)
{
    // Delivery first: notifications never hold up a message.
    const std::shared_ptr<const MessageBatch> mine = batch;
    m_next.committed(std::move(batch));

    QList<qint64> recipients;
    recipients.reserve(qsizetype(mine->size()));
    for (const auto &d : *mine) {
        const Message &m = d->message;
        recipients << (m.senderId == d->userA ? d->userB : d->userA);
    }
    std::sort(recipients.begin(), recipients.end());
    recipients.erase(std::unique(recipients.begin(), recipients.end()), recipients.end());
    QList<qint64> offline;
    for (qint64 user : recipients) {
        if (m_isOnline(user))
            m_online.fetch_add(1, std::memory_order_relaxed);
        else
            offline << user;
    }
    if (offline.isEmpty() || !m_home)
        return; // nothing to tell, or not started
    QMetaObject::invokeMethod(
        m_home, [this, offline] { enqueueOffline(offline); }, Qt::QueuedConnection);
}

void NotifyProducer::enqueueOffline(const QList<qint64> &recipients)
{
    const qint64 now = nowMs();
    if (now - m_lastPruneMs > 60000 || m_waitingUntil.size() > 100000) {
        m_lastPruneMs = now;
        m_waitingUntil.removeIf([now](const auto &it) { return it.value() <= now; });
    }
    for (qint64 user : recipients) {
        auto it = m_waitingUntil.find(user);
        if (it != m_waitingUntil.end() && it.value() > now) {
            m_inWindow.fetch_add(1, std::memory_order_relaxed);
            continue;
        }
        // A window of 0 still collapses what one batch holds.
        m_waitingUntil.insert(user, now + std::max<qint64>(m_batchMs, 1));
        m_sink.enqueue(webhookNotifyJob(user, now, m_batchMs), [this, user](bool ok, QString) {
            if (ok) {
                m_enqueued.fetch_add(1, std::memory_order_relaxed);
                return;
            }
            // The queue could not take it: the next message tries again.
            m_refused.fetch_add(1, std::memory_order_relaxed);
            m_waitingUntil.remove(user);
            qCWarning(lcJobs) << "the notify queue refused a webhook.notify job";
        });
    }
}

} // namespace sanayicin::notify
