#pragma once

#include "daemon_config.h"
#include "jobs/job.h"
#include "jobs/job_queue.h"
#include "jobs/maintenance_jobs.h"

#include <QHash>

namespace sanayicin {

// Handlers a program adds to the daemon's own (the tests' job types: the
// daemon itself passes none).
using ExtraJobHandlers = QHash<QString, jobs::JobHandler>;

// The queue's rules as the settings say.
jobs::QueuePolicy jobQueuePolicy(const DaemonConfig &config);
// The maintenance jobs' settings.
jobs::MaintenanceJobs::Settings maintenanceSettings(const DaemonConfig &config);
// A name for this process among the workers and schedulers: the instance,
// the role, the process id and a random part.
QString jobProcessName(const DaemonConfig &config, const char *role);

// `sanayicind worker`: runs the jobs of --worker-queues (from Redis, or
// the database's embedded queue without --redis) until SIGTERM (then
// finishes or gives back what it holds).
int runWorker(const DaemonConfig &config, const ExtraJobHandlers &extra);
// `sanayicind scheduler`: the periodic jobs, while it holds the lease
// (in Redis, or the database's job_leases without --redis).
int runScheduler(const DaemonConfig &config);

} // namespace sanayicin
