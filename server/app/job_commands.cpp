#include "job_commands.h"

#include "bridge/redis_connection.h"
#include "bridge/redis_url.h"
#include "jobs/maintenance_jobs.h"
#include "jobs/redis_job_queue.h"
#include "jobs/scheduler.h"
#include "jobs/worker.h"
#include "logging/log.h"
#include "signal_watcher.h"

#include <QCoreApplication>
#include <QRandomGenerator>
#include <csignal>

namespace sanayicin {

namespace {

// The Redis connection for a worker or scheduler; nullptr (and the reason
// logged) without a usable --redis.
std::unique_ptr<RedisConnection> jobsRedis(const DaemonConfig &config, const char *command)
{
    if (config.redisUrl.isEmpty()) {
        qCCritical(lcApp).noquote()
            << "sanayicind" << command
            << "needs --redis: without Redis the daemon runs its jobs itself";
        return nullptr;
    }
    QString error;
    const std::optional<RedisUrl> url = RedisUrl::parse(config.redisUrl, error);
    if (!url) {
        qCCritical(lcApp).noquote() << error;
        return nullptr;
    }
    return std::make_unique<RedisConnection>(*url, QStringLiteral("jobs"));
}

// Runs `begin` once, when Redis first answers.
void onceConnected(RedisConnection &redis, std::function<void()> begin)
{
    auto started = std::make_shared<bool>(false);
    QObject::connect(&redis, &RedisConnection::connected, &redis, [started, begin] {
        if (!*started) {
            *started = true;
            begin();
        }
    });
    redis.start();
}

} // namespace

jobs::QueuePolicy jobQueuePolicy(const DaemonConfig &c)
{
    jobs::QueuePolicy p;
    p.maxAttempts = c.jobsMaxAttempts;
    p.backoffBaseMs = c.jobsBackoffMs;
    p.backoffMaxMs = c.jobsBackoffMaxMs;
    p.visibilityMs = c.jobsVisibilityMs;
    return p;
}

QString jobProcessName(const DaemonConfig &config, const char *role)
{
    return QStringLiteral("%1/%2-%3-%4")
        .arg(config.instanceId, QLatin1StringView(role))
        .arg(QCoreApplication::applicationPid())
        .arg(QRandomGenerator::system()->generate(), 8, 16, QLatin1Char('0'));
}

int runWorker(const DaemonConfig &config, const ExtraJobHandlers &extra)
{
    std::unique_ptr<RedisConnection> redis = jobsRedis(config, "worker");
    if (!redis)
        return 2;
    ::signal(SIGPIPE, SIG_IGN);
    jobs::RedisJobQueue queue(*redis);
    queue.setPolicy(jobQueuePolicy(config));
    jobs::MaintenanceJobs maintenance(config.database, {config.purgeIntervalMs});
    const QString name = jobProcessName(config, "worker");
    jobs::Worker worker(queue, {config.workerQueues, name, config.workerConcurrency,
                                config.workerPollMs});
    const QHash<QString, jobs::JobHandler> own = maintenance.handlers();
    for (auto it = own.cbegin(); it != own.cend(); ++it)
        worker.addHandler(it.key(), it.value());
    for (auto it = extra.cbegin(); it != extra.cend(); ++it)
        worker.addHandler(it.key(), it.value());

    SignalWatcher signals({SIGTERM, SIGINT});
    bool stopping = false;
    QObject::connect(&signals, &SignalWatcher::signalReceived, &worker, [&](int) {
        if (stopping)
            return;
        stopping = true;
        worker.stop(config.workerGraceMs, [] {
            qCInfo(lcJobs) << "worker stopped";
            QCoreApplication::exit(0);
        });
    });
    onceConnected(*redis, [&] {
        qCInfo(lcJobs).noquote() << "worker" << name << "takes jobs from"
                                 << config.workerQueues.join(QStringLiteral(", "));
        if (!stopping)
            worker.start();
    });
    return QCoreApplication::exec();
}

int runScheduler(const DaemonConfig &config)
{
    std::unique_ptr<RedisConnection> redis = jobsRedis(config, "scheduler");
    if (!redis)
        return 2;
    ::signal(SIGPIPE, SIG_IGN);
    jobs::RedisJobQueue queue(*redis);
    queue.setPolicy(jobQueuePolicy(config));
    const jobs::MaintenanceJobs maintenance(config.database, {config.purgeIntervalMs});
    const QString name = jobProcessName(config, "scheduler");
    jobs::Scheduler scheduler(queue, name, config.schedulerLeaseMs, maintenance.periodic());

    SignalWatcher signals({SIGTERM, SIGINT});
    bool stopping = false;
    QObject::connect(&signals, &SignalWatcher::signalReceived, &scheduler, [&](int) {
        if (stopping)
            return;
        stopping = true;
        scheduler.stop([] {
            qCInfo(lcJobs) << "scheduler stopped";
            QCoreApplication::exit(0);
        });
    });
    onceConnected(*redis, [&] {
        qCInfo(lcJobs).noquote() << "scheduler" << name << "started";
        if (!stopping)
            scheduler.start();
    });
    return QCoreApplication::exec();
}

} // namespace sanayicin
