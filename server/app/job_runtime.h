#pragma once

#include "daemon_config.h"
#include "jobs/job.h"
#include "jobs/job_admin.h"
#include "jobs/job_queue.h"

#include <QStringList>
#include <functional>
#include <atomic>
#include <memory>
#include <vector>

class QObject;
class QThread;
class QTimer;

namespace sanayicin {

class JobBackend;
class MetricsRegistry;
class DbPool;
namespace notify {
class WebhookNotifier;
}
namespace jobs {
class MaintenanceJobs;
class Scheduler;
class Worker;
}

// The daemon's side of the jobs, on a thread of its own ("jobs"): the queue
// producers enqueue on (sink(), any thread), each queue's numbers for
// /metrics (read from the queue every few seconds), and, on the embedded
// queue (no Redis), the worker and the scheduler in-process. With Redis,
// `sanayicind worker` and `sanayicind scheduler` run them.
class JobRuntime : public jobs::JobAdmin
{
public:
    // isOnline: whether a user has a live connection here (the webhook
    // notifier's presence check in the in-process worker).
    JobRuntime(const DaemonConfig &config, MetricsRegistry &registry,
               std::function<bool(qint64)> isOnline = {});
    ~JobRuntime() override;

    bool start(QString &error);
    // Gives back the running jobs and the scheduler's lease, ends the thread.
    void stop();

    jobs::JobSink &sink();
    // The queues listed in /metrics and the admin listing.
    const QStringList &queueNames() const { return m_queues; }
    bool runsJobsHere() const { return m_config.redisUrl.isEmpty(); }

    // JobAdmin
    QString backend() const override;
    QList<Queue> queues() const override;
    void deadLetters(const QString &queue, int max, QObject *context,
                     std::function<void(std::optional<QList<jobs::DeadLetter>>)> done) override;
    void resolveDeadLetter(const QString &queue, const QString &id, bool retry, QObject *context,
                           std::function<void(std::optional<bool>)> done) override;

private:
    struct QueueNumbers;
    void startOnThread(QString &error);
    void stopOnThread();
    void refresh();
    // Runs `work` on the jobs thread (dropped once it has stopped).
    void onJobsThread(std::function<void()> work);

    DaemonConfig m_config;
    MetricsRegistry &m_registry;
    QStringList m_queues;
    QThread *m_thread = nullptr;
    std::unique_ptr<JobBackend> m_backend;          // on m_thread
    std::unique_ptr<jobs::MaintenanceJobs> m_maintenance;
    std::unique_ptr<jobs::Worker> m_worker;
    std::function<bool(qint64)> m_isOnline;
    std::unique_ptr<DbPool> m_notifyPool;
    notify::WebhookNotifier *m_notifier = nullptr; // on m_thread, a child of m_anchor
    std::unique_ptr<jobs::Scheduler> m_scheduler;
    std::vector<std::unique_ptr<QueueNumbers>> m_numbers;
    QObject *m_anchor = nullptr; // lives on m_thread: calls to it run there
    QTimer *m_refresh = nullptr; // on m_thread
};

} // namespace sanayicin
