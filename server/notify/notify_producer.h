#pragma once

#include "jobs/job.h"
#include "storage/committed_batch_sink.h"

#include <QHash>
#include <QObject>
#include <QThread>
#include <atomic>
#include <functional>
#include <memory>

namespace sanayicin::notify {

inline constexpr char kNotifyQueue[] = "notify";
inline constexpr char kWebhookNotifyJob[] = "webhook.notify";

// The job a recipient's burst becomes: {"userId":N} on queue "notify",
// deduplicated per recipient, run `batchMs` after the first message.
jobs::JobSpec webhookNotifyJob(qint64 recipientId, qint64 nowMs, qint64 batchMs);

// Sits between the message writer and delivery (both CommittedBatchSink):
// every committed batch goes on to `next` first, untouched; then each
// message's recipient who has no live connection anywhere (`isOnline`:
// LocalHub::isOnline, which with Redis knows every instance's users) gets a
// `webhook.notify` job. Each message is committed once in the cluster, so
// exactly one instance looks at it.
//
// On the writer's thread it costs one presence check per distinct recipient
// of the batch and, when someone is offline, one queued call; the jobs are
// handed to `sink` on a thread of its own ("notify"), where a recipient
// whose job is already waiting in this window is skipped (the queue's
// dedupe key catches what other instances add). Without a sink nothing of
// this is made (see makeCommittedSink in the daemon's wiring).
class NotifyProducer : public CommittedBatchSink
{
public:
    using OnlineCheck = std::function<bool(qint64 userId)>; // thread-safe, cheap

    NotifyProducer(CommittedBatchSink &next, jobs::JobSink &sink, OnlineCheck isOnline,
                   qint64 batchMs);
    ~NotifyProducer() override; // stops the thread; what was queued to it is dropped

    void start();
    // Ends the thread; batches committed after it reach delivery only.
    void stop();

    void committed(std::shared_ptr<const MessageBatch> batch) override;

    // For /metrics and tests.
    quint64 jobsEnqueued() const { return m_enqueued.load(std::memory_order_relaxed); }
    quint64 jobsRefused() const { return m_refused.load(std::memory_order_relaxed); }
    quint64 recipientsOnline() const { return m_online.load(std::memory_order_relaxed); }
    quint64 recipientsInWindow() const { return m_inWindow.load(std::memory_order_relaxed); }

private:
    void enqueueOffline(const QList<qint64> &recipients); // on the notify thread

    CommittedBatchSink &m_next;
    jobs::JobSink &m_sink;
    OnlineCheck m_isOnline;
    qint64 m_batchMs;
    QThread m_thread;
    QObject *m_home = nullptr; // on m_thread, from start() until this object goes
    // On the notify thread: until when each recipient's job waits.
    QHash<qint64, qint64> m_waitingUntil;
    qint64 m_lastPruneMs = 0;
    std::atomic<quint64> m_enqueued{0};
    std::atomic<quint64> m_refused{0};
    std::atomic<quint64> m_online{0};
    std::atomic<quint64> m_inWindow{0};
};

} // namespace sanayicin::notify
