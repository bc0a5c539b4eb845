#include "job_commands.h"

#include "job_backend.h"
#include "jobs/maintenance_jobs.h"
#include "jobs/scheduler.h"
#include "jobs/worker.h"
#include "logging/log.h"
#include "signal_watcher.h"

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

int runWorker(const DaemonConfig &config, const ExtraJobHandlers &extra)
{
    QString error;
    std::unique_ptr<JobBackend> backend = JobBackend::open(config, error);
    if (!backend) {
        qCCritical(lcApp).noquote() << error;
        return 1;
    }
    ::signal(SIGPIPE, SIG_IGN);
    jobs::JobQueue &queue = backend->queue();
    jobs::MaintenanceJobs maintenance(config.database, maintenanceSettings(config));
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
    backend->whenReady([&] {
        qCInfo(lcJobs).noquote() << "worker" << name << "takes jobs from"
                                 << config.workerQueues.join(QStringLiteral(", "));
        if (!stopping)
            worker.start();
    });
    return QCoreApplication::exec();
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
    jobs::JobQueue &queue = backend->queue();
    const jobs::MaintenanceJobs maintenance(config.database, maintenanceSettings(config));
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
    backend->whenReady([&] {
        qCInfo(lcJobs).noquote() << "scheduler" << name << "started";
        if (!stopping)
            scheduler.start();
    });
    return QCoreApplication::exec();
}

} // namespace sanayicin
