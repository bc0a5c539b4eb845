#include "job_commands.h"

#include "job_backend.h"
#include "jobs/maintenance_jobs.h"
#include "jobs/scheduler.h"
#include "jobs/worker.h"
#include "logging/log.h"
#include "notify/notify_producer.h"
#include "notify/redis_presence.h"
#include "notify/webhook_notifier.h"
#include "storage/db_pool.h"
#include "signal_watcher.h"
#include "systemd_link.h"

#include <QCoreApplication>
#include <QRandomGenerator>
#include <csignal>

namespace sanayicin {

jobs::QueuePolicy jobQueuePolicy(const DaemonConfig &c)
{
    jobs::QueuePolicy p;
    p.maxAttempts = c.jobsMaxAttempts;
    p.backoffBaseMs = c.jobsBackoffMs;
    p.backoffMaxMs = c.jobsBackoffMaxMs;
    p.visibilityMs = c.jobsVisibilityMs;
    return p;
}

jobs::MaintenanceJobs::Settings maintenanceSettings(const DaemonConfig &c)
{
    jobs::MaintenanceJobs::Settings s;
    s.purgeIntervalMs = c.purgeIntervalMs;
    s.retentionDays = c.retentionDays;
    s.rollupIntervalMs = c.rollupIntervalMs;
    return s;
}

QString jobProcessName(const DaemonConfig &config, const char *role)
{
    return QStringLiteral("%1/%2-%3-%4")
        .arg(config.instanceId, QLatin1StringView(role))
        .arg(QCoreApplication::applicationPid())
        .arg(QRandomGenerator::system()->generate(), 8, 16, QLatin1Char('0'));
}

namespace {

// The life of a worker or scheduler process: `begin` once the queue answers
// (then READY=1 under systemd), `end(done)` on SIGTERM or SIGINT (STOPPING=1
// first), and the exit when `done` runs. Under systemd the watchdog's pings
// come from this, the jobs', thread.
int runJobProcess(const char *role, JobBackend &backend, SystemdLink::StatusText status,
                  std::function<void()> begin, std::function<void(std::function<void()>)> end)
{
    std::unique_ptr<SystemdLink> systemd = SystemdLink::fromEnvironment(std::move(status));
    SignalWatcher signals({SIGTERM, SIGINT});
    bool stopping = false;
    QObject::connect(&signals, &SignalWatcher::signalReceived, &signals, [&](int) {
        if (stopping)
            return;
        stopping = true;
        if (systemd)
            systemd->stopping();
        end([role] {
            qCInfo(lcJobs) << role << "stopped";
            QCoreApplication::exit(0);
        });
    });
    backend.whenReady([&] {
        if (stopping)
            return;
        begin();
        if (systemd) {
            systemd->ready();
            systemd->refreshStatus(); // what it does, at once rather than at the next refresh
        }
    });
    return QCoreApplication::exec();
}

} // namespace

int runWorker(const DaemonConfig &config, const ExtraJobHandlers &extra)
{
    QString error;
    std::unique_ptr<JobBackend> backend = JobBackend::open(config, error);
    if (!backend) {
        qCCritical(lcApp).noquote() << error;
        return 1;
    }
    ::signal(SIGPIPE, SIG_IGN);
    jobs::MaintenanceJobs maintenance(config.database, maintenanceSettings(config));
    const QString name = jobProcessName(config, "worker");
    // Webhook notifications: who is online is known cluster-wide only in
    // Redis (the instances' online set). Without Redis only the instance
    // knows, so its own in-process worker takes the notify queue and this
    // one leaves it alone.
    QStringList queues = config.workerQueues;
    const QString notifyQueue = QLatin1StringView(notify::kNotifyQueue);
    std::unique_ptr<DbPool> notifyPool;
    std::unique_ptr<notify::WebhookNotifier> notifier; // outlives the worker that calls it
    if (queues.contains(notifyQueue) && config.notify.enabled()) {
        if (config.redisUrl.isEmpty()) {
            queues.removeAll(notifyQueue);
            qCInfo(lcJobs) << "without Redis the instance's own worker sends the notifications";
        } else {
            const std::optional<RedisUrl> redis = RedisUrl::parse(config.redisUrl, error);
            notifyPool = std::make_unique<DbPool>(config.database, 1, QStringLiteral("notify"), nullptr);
            if (!redis || !notifyPool->start(error)) {
                qCCritical(lcApp).noquote() << error;
                return 1;
            }
            auto *presence = new notify::RedisPresence(*redis);
            notifier = std::make_unique<notify::WebhookNotifier>(
                config.notify, *notifyPool,
                [presence](qint64 user, notify::WebhookNotifier::Answer answer) {
                    presence->isOnline(user, std::move(answer));
                });
            presence->setParent(notifier.get()); // asked by the notifier only
            presence->start();
        }
    }
    jobs::Worker worker(backend->queue(), {queues, name, config.workerConcurrency,
                                           config.workerPollMs});
    if (notifier)
        worker.addHandler(QLatin1StringView(notify::kWebhookNotifyJob), notifier->handler());
    const QHash<QString, jobs::JobHandler> own = maintenance.handlers();
    for (auto it = own.cbegin(); it != own.cend(); ++it)
        worker.addHandler(it.key(), it.value());
    for (auto it = extra.cbegin(); it != extra.cend(); ++it)
        worker.addHandler(it.key(), it.value());
    const QString queueList = queues.join(QStringLiteral(", "));
    return runJobProcess(
        "worker", *backend,
        [&worker, queueList] {
            return QStringLiteral("running %1 jobs from %2").arg(worker.running()).arg(queueList).toUtf8();
        },
        [&] {
            qCInfo(lcJobs).noquote() << "worker" << name << "takes jobs from" << queueList;
            worker.start();
        },
        [&](std::function<void()> done) { worker.stop(config.workerGraceMs, std::move(done)); });
}

int runScheduler(const DaemonConfig &config)
{
    QString error;
    std::unique_ptr<JobBackend> backend = JobBackend::open(config, error);
    if (!backend) {
        qCCritical(lcApp).noquote() << error;
        return 1;
    }
    ::signal(SIGPIPE, SIG_IGN);
    const jobs::MaintenanceJobs maintenance(config.database, maintenanceSettings(config));
    const QString name = jobProcessName(config, "scheduler");
    jobs::Scheduler scheduler(backend->queue(), name, config.schedulerLeaseMs, maintenance.periodic());
    return runJobProcess(
        "scheduler", *backend,
        [&scheduler] {
            return scheduler.leading() ? QByteArray("active: scheduling the periodic jobs")
                                       : QByteArray("standby: another scheduler holds the lease");
        },
        [&] {
            qCInfo(lcJobs).noquote() << "scheduler" << name << "started";
            scheduler.start();
        },
        [&](std::function<void()> done) { scheduler.stop(std::move(done)); });
}

} // namespace sanayicin
