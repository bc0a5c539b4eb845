#pragma once

#include "jobs/job.h"
#include "notify_settings.h"

#include <QObject>
#include <QHash>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;

namespace sanayicin {
class DbPool;
}

namespace sanayicin::notify {

// The `webhook.notify` handler. For the recipient in the job's payload:
// nothing if they are online by now (asked again when the job runs); else, under the recipient's lease
// (notification_marks), the peers' messages they have neither read nor been
// notified of, in one signed POST to the webhook (docs/operations.md); a
// 2xx moves the recipient's watermark, so a retried or repeated job sends
// nothing twice for the same messages.
//
// Outcomes: 2xx Done; 5xx, 408, 429, timeouts and connection errors Retry;
// any other status (other 4xx, 3xx: redirects are not followed) Fail; a
// payload that is not {"userId":N} Fail; a database error Retry; with no
// webhook configured (turned off while jobs waited) Done, nothing sent.
//
// Lives on the thread that makes it, which runs an event loop (HTTP and the
// read pool's answers arrive there); run() may be called from any thread.
// Database work goes to `pool`. Jobs still running when it is destroyed end
// with Retry; one handed over from another thread as it is destroyed is
// never answered (the queue's lease on it runs out and it is claimed
// again), so destroy it after the worker that calls it has stopped.
class WebhookNotifier : public QObject
{
    Q_OBJECT
public:
    // Asks whether the user has a live connection anywhere; `answer` runs
    // on the notifier's thread, at once or later, with nothing when that
    // cannot be known now (the job then ends with Retry). In an instance:
    // localPresence(LocalHub::isOnline); in `sanayicind worker`: a
    // RedisPresence (redis_presence.h).
    using Answer = std::function<void(std::optional<bool> online)>;
    using OnlineCheck = std::function<void(qint64 userId, Answer answer)>;
    // An OnlineCheck from a cheap, thread-safe function that knows at once.
    static OnlineCheck localPresence(std::function<bool(qint64 userId)> isOnline);

    WebhookNotifier(NotifySettings settings, DbPool &pool, OnlineCheck isOnline,
                    QObject *parent = nullptr);
    ~WebhookNotifier() override;

    void run(const jobs::Job &job, std::function<void(jobs::JobResult)> finish);
    // run() as the queue's handler; valid while this object lives.
    jobs::JobHandler handler();

    // For /metrics and tests.
    quint64 posts() const { return m_posts.load(std::memory_order_relaxed); }
    quint64 skippedOnline() const { return m_skippedOnline.load(std::memory_order_relaxed); }
    quint64 nothingNew() const { return m_nothingNew.load(std::memory_order_relaxed); }

private:
    struct Run;
    void prepare(const std::shared_ptr<Run> &run);
    void post(const std::shared_ptr<Run> &run);
    void settle(const std::shared_ptr<Run> &run, jobs::JobResult result);
    void end(const std::shared_ptr<Run> &run, jobs::JobResult result);

    NotifySettings m_settings;
    DbPool &m_pool;
    OnlineCheck m_isOnline;
    QNetworkAccessManager *m_http;
    QHash<Run *, std::shared_ptr<Run>> m_running;
    std::atomic<quint64> m_posts{0};
    std::atomic<quint64> m_skippedOnline{0};
    std::atomic<quint64> m_nothingNew{0};
};

// How a webhook's answer ends the job: 2xx Done, 5xx/408/429 Retry, the rest
// Fail.
jobs::JobOutcome outcomeOfStatus(int httpStatus);

} // namespace sanayicin::notify
