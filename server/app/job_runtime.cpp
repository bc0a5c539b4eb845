#include "job_runtime.h"

#include "notify/notify_producer.h"
#include "notify/webhook_notifier.h"
#include "storage/db_pool.h"

#include "job_backend.h"
#include "job_commands.h"
#include "jobs/maintenance_jobs.h"
#include "jobs/scheduler.h"
#include "jobs/worker.h"
#include "logging/log.h"
#include "metrics/metrics.h"
#include "threading/mailbox.h"
#include "threading/reply_to.h"
#include "threading/thread_exit.h"

#include <QPointer>
#include <QThread>
#include <QTimer>

namespace sanayicin {

namespace {
constexpr int kRefreshMs = 2000; // the queues' numbers for /metrics
} // namespace

// One queue's numbers as last read (the jobs thread writes, scrapes read).
struct JobRuntime::QueueNumbers
{
    QString queue;
    std::atomic<qint64> waiting{0}, pending{0}, oldestAgeMs{0}, deadLetters{0};
    std::atomic<qint64> doneTotal{0}, retriedTotal{0}, deadTotal{0};
    // The queue's totals, counted into this instance's counters by the
    // difference from the last reading (the first is the baseline).
    Counter *done = nullptr, *retried = nullptr, *dead = nullptr;
    qint64 lastDone = -1, lastRetried = -1, lastDead = -1;
};

JobRuntime::JobRuntime(const DaemonConfig &config, MetricsRegistry &registry,
                       std::function<bool(qint64)> isOnline)
    : m_config(config), m_registry(registry), m_isOnline(std::move(isOnline))
{
    m_queues = config.workerQueues;
    if (config.notify.enabled() && !m_queues.contains(QLatin1StringView(notify::kNotifyQueue)))
        m_queues.append(QLatin1StringView(notify::kNotifyQueue));
    if (!m_queues.contains(jobs::MaintenanceJobs::kQueue))
        m_queues.prepend(jobs::MaintenanceJobs::kQueue);
}

JobRuntime::~JobRuntime()
{
    stop();
}

bool JobRuntime::start(QString &error)
{
    const QByteArray help = "Finished jobs by queue and outcome.";
    for (const QString &q : std::as_const(m_queues)) {
        auto n = std::make_unique<QueueNumbers>();
        n->queue = q;
        const QByteArray label = "queue=\"" + labelValue(q.toUtf8()) + '"';
        n->done = &m_registry.counter("sanayicin_jobs_total", help, label + ",outcome=\"done\"");
        n->retried = &m_registry.counter("sanayicin_jobs_total", help, label + ",outcome=\"retried\"");
        n->dead = &m_registry.counter("sanayicin_jobs_total", help, label + ",outcome=\"dead\"");
        QueueNumbers *p = n.get();
        m_registry.callbackGauge("sanayicin_job_queue_depth", "Work waiting in the daemon's queues.",
                                 [p] { return double(p->waiting.load()); }, label);
        m_registry.callbackGauge("sanayicin_job_queue_pending",
                                 "Jobs claimed by a worker and not yet acknowledged.",
                                 [p] { return double(p->pending.load()); }, label);
        m_registry.callbackGauge("sanayicin_job_queue_oldest_age_seconds",
                                 "How long the job due longest has been due (waiting or held).",
                                 [p] { return double(p->oldestAgeMs.load()) / 1000.0; }, label);
        m_registry.callbackGauge("sanayicin_job_dead_letters", "Dead letters waiting for an admin.",
                                 [p] { return double(p->deadLetters.load()); }, label);
        m_numbers.push_back(std::move(n));
    }

    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("jobs"));
    m_anchor = new QObject;
    m_anchor->moveToThread(m_thread);
    QObject::connect(m_thread, &QThread::started, m_anchor, [] { waitForThisThreadAtExit(); });
    m_thread->start();
    QMetaObject::invokeMethod(m_anchor, [this, &error] { startOnThread(error); },
                              Qt::BlockingQueuedConnection);
    return m_backend != nullptr;
}

void JobRuntime::startOnThread(QString &error)
{
    m_backend = JobBackend::open(m_config, error);
    if (!m_backend)
        return;
    m_refresh = new QTimer(m_anchor);
    QObject::connect(m_refresh, &QTimer::timeout, m_anchor, [this] { refresh(); });
    if (runsJobsHere()) {
        jobs::JobQueue &queue = m_backend->queue();
        m_maintenance = std::make_unique<jobs::MaintenanceJobs>(
            m_config.database, maintenanceSettings(m_config));
        m_worker = std::make_unique<jobs::Worker>(
            queue, jobs::Worker::Settings{m_queues, jobProcessName(m_config, "worker"),
                                          m_config.workerConcurrency, m_config.workerPollMs});
        const QHash<QString, jobs::JobHandler> handlers = m_maintenance->handlers();
        for (auto it = handlers.cbegin(); it != handlers.cend(); ++it)
            m_worker->addHandler(it.key(), it.value());
        if (m_config.notify.enabled() && m_isOnline) {
            m_notifyPool = std::make_unique<DbPool>(m_config.database, 1, QStringLiteral("notify"), nullptr);
            if (!m_notifyPool->start(error))
                return;
            m_notifier = new notify::WebhookNotifier(
                m_config.notify, *m_notifyPool, notify::WebhookNotifier::localPresence(m_isOnline), m_anchor);
            m_worker->addHandler(QLatin1StringView(notify::kWebhookNotifyJob), m_notifier->handler());
        }
        m_scheduler = std::make_unique<jobs::Scheduler>(queue, jobProcessName(m_config, "scheduler"),
                                                        m_config.schedulerLeaseMs,
                                                        m_maintenance->periodic());
    }
    m_backend->whenReady([this] {
        if (m_worker)
            m_worker->start();
        if (m_scheduler)
            m_scheduler->start();
        m_refresh->start(kRefreshMs);
        refresh();
    });
    qCInfo(lcJobs).noquote() << "job queue:" << (m_backend->isRedis() ? "Redis" : "embedded")
                             << (runsJobsHere() ? "(worker and scheduler in-process)"
                                                : "(run sanayicind worker and scheduler)");
}

void JobRuntime::refresh()
{
    for (auto &n : m_numbers) {
        QueueNumbers *p = n.get();
        m_backend->queue().stats(p->queue, [p](std::optional<jobs::QueueStats> s) {
            if (!s)
                return;
            p->waiting = s->waiting;
            p->pending = s->pending;
            p->oldestAgeMs = s->oldestAgeMs;
            p->deadLetters = s->deadLetters;
            p->doneTotal = s->done;
            p->retriedTotal = s->retried;
            p->deadTotal = s->dead;
            // From the first reading on: a restarted instance starts at 0
            // like any counter, rather than jumping to the queue's total.
            const auto count = [](Counter *c, qint64 &last, qint64 now) {
                if (last >= 0 && now > last)
                    c->inc(quint64(now - last));
                last = now;
            };
            count(p->done, p->lastDone, s->done);
            count(p->retried, p->lastRetried, s->retried);
            count(p->dead, p->lastDead, s->dead);
        });
    }
}

QString JobRuntime::backend() const
{
    return runsJobsHere() ? QStringLiteral("embedded") : QStringLiteral("redis");
}

QList<jobs::JobAdmin::Queue> JobRuntime::queues() const
{
    QList<Queue> out;
    for (const auto &n : m_numbers) {
        jobs::QueueStats s;
        s.waiting = n->waiting;
        s.pending = n->pending;
        s.oldestAgeMs = n->oldestAgeMs;
        s.deadLetters = n->deadLetters;
        s.done = n->doneTotal;
        s.retried = n->retriedTotal;
        s.dead = n->deadTotal;
        out << Queue{n->queue, s};
    }
    return out;
}

void JobRuntime::onJobsThread(std::function<void()> work)
{
    // m_anchor lives until stop() has waited for the thread; a call queued
    // after its loop ended is never run.
    if (m_anchor)
        QMetaObject::invokeMethod(m_anchor, std::move(work), Qt::QueuedConnection);
}

void JobRuntime::deadLetters(const QString &queue, int max, QObject *context,
                             std::function<void(std::optional<QList<jobs::DeadLetter>>)> done)
{
    onJobsThread([this, queue, max, reply = ReplyTo(context), done = std::move(done)] {
        if (!m_backend)
            return;
        m_backend->queue().deadLetters(queue, max, [reply, done](std::optional<QList<jobs::DeadLetter>> d) {
            reply.post([done, d] { done(d); });
        });
    });
}

void JobRuntime::resolveDeadLetter(const QString &queue, const QString &id, bool retry,
                                   QObject *context, std::function<void(std::optional<bool>)> done)
{
    onJobsThread([this, queue, id, retry, reply = ReplyTo(context), done = std::move(done)] {
        if (!m_backend)
            return;
        m_backend->queue().resolveDeadLetter(queue, id, retry, [reply, done](std::optional<bool> found) {
            reply.post([done, found] { done(found); });
        });
    });
}

jobs::JobSink &JobRuntime::sink()
{
    return m_backend->queue();
}

void JobRuntime::stop()
{
    if (!m_thread)
        return;
    if (m_thread->isRunning())
        QMetaObject::invokeMethod(m_anchor, [this] { stopOnThread(); }, Qt::QueuedConnection);
    if (!m_thread->wait(m_config.workerGraceMs + 5000))
        qCWarning(lcJobs) << "the jobs thread did not stop in time";
    delete m_anchor; // its thread has ended
    m_anchor = nullptr;
    delete m_thread;
    m_thread = nullptr;
}

void JobRuntime::stopOnThread()
{
    // The worker first (it finishes or gives back its jobs), then the
    // scheduler's lease; then everything goes, on this thread.
    auto finish = [this] {
        QMetaObject::invokeMethod(
            m_anchor,
            [this] {
                m_worker.reset();
                delete m_notifier; // after the worker that calls it
                m_notifier = nullptr;
                if (m_notifyPool)
                    m_notifyPool->stop();
                m_scheduler.reset();
                m_maintenance.reset();
                m_backend.reset();
                Mailbox::closeHere();
                QThread::currentThread()->quit();
            },
            Qt::QueuedConnection);
    };
    if (m_refresh)
        m_refresh->stop();
    auto afterWorker = [this, finish] {
        if (m_scheduler)
            m_scheduler->stop(finish);
        else
            finish();
    };
    if (m_worker)
        m_worker->stop(m_config.workerGraceMs, afterWorker);
    else
        afterWorker();
}

} // namespace sanayicin
