#include "worker.h"

#include "logging/log.h"
#include "threading/mailbox.h"

#include <QPointer>
#include <atomic>

namespace sanayicin::jobs {

Worker::Worker(JobQueue &queue, Settings settings, QObject *parent)
    : QObject(parent), m_queue(queue), m_settings(std::move(settings)), m_home(Mailbox::here())
{
    m_pollTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, &Worker::poll);
    connect(&m_keepTimer, &QTimer::timeout, this, &Worker::keepHeld);
    m_graceTimer.setSingleShot(true);
    connect(&m_graceTimer, &QTimer::timeout, this, &Worker::releaseHeld);
}

Worker::~Worker() = default;

void Worker::addHandler(const QString &type, JobHandler handler)
{
    m_handlers.insert(type, std::move(handler));
}

void Worker::start()
{
    // Well inside the visibility timeout, so that a slow reply does not
    // let another worker claim what this one runs.
    m_keepTimer.start(int(std::max<qint64>(50, m_queue.policy().visibilityMs / 3)));
    schedulePoll(0);
}

void Worker::schedulePoll(int ms)
{
    if (!m_stopping)
        m_pollTimer.start(ms);
}

void Worker::poll()
{
    if (m_stopping || m_claiming || m_settings.queues.isEmpty())
        return;
    const int room = m_settings.concurrency - running();
    if (room <= 0)
        return; // a finished job polls again
    const QString queue = m_settings.queues.at(m_nextQueue++ % m_settings.queues.size());
    m_claiming = true;
    m_queue.claim(queue, m_settings.consumer, room,
                  [this, guard = QPointer<QObject>(this)](std::optional<QList<ClaimedJob>> jobs) {
                      if (!guard)
                          return;
                      m_claiming = false;
                      if (!jobs) {
                          qCWarning(lcJobs) << "cannot claim jobs: the queue does not answer";
                          schedulePoll(std::max(m_settings.pollMs, 1000));
                          return;
                      }
                      if (m_stopping) {
                          // Claimed while stopping: given back unrun.
                          giveBack(*jobs);
                          checkStopped();
                          return;
                      }
                      for (const ClaimedJob &c : std::as_const(*jobs))
                          run(c);
                      // Something came: look again at once (other queues too).
                      schedulePoll(jobs->isEmpty() && m_nextQueue % m_settings.queues.size() == 0
                                       ? m_settings.pollMs
                                       : 0);
                  });
}

void Worker::run(const ClaimedJob &claimed)
{
    m_held.insert(claimed.job.id, claimed);
    const auto handler = m_handlers.constFind(claimed.job.type);
    if (handler == m_handlers.constEnd()) {
        finished(claimed, {JobOutcome::Fail, QStringLiteral("no handler for this job type")});
        return;
    }
    qCDebug(lcJobs).noquote() << "running" << claimed.job.queue << claimed.job.type << "job"
                              << claimed.job.id << "attempt" << claimed.job.attempt;
    // The handler answers once, from any thread: the answer comes back here.
    auto answered = std::make_shared<std::atomic<bool>>(false);
    (*handler)(claimed.job, [this, claimed, answered, home = m_home,
                             guard = QPointer<QObject>(this)](JobResult result) {
        if (answered->exchange(true))
            return;
        home->post(guard, [this, claimed, result] { finished(claimed, result); });
    });
}

void Worker::finished(const ClaimedJob &claimed, const JobResult &result)
{
    if (!m_held.contains(claimed.job.id))
        return; // given back at the stop's deadline: no longer ours
    m_queue.finish(claimed, m_settings.consumer, result,
                   [this, claimed, result, guard = QPointer<QObject>(this)](std::optional<Finished> f) {
                       if (!guard)
                           return;
                       m_held.remove(claimed.job.id);
                       const QString what = claimed.job.queue + QLatin1Char(' ') + claimed.job.type
                                            + QStringLiteral(" job ") + claimed.job.id;
                       if (!f)
                           qCWarning(lcJobs).noquote() << what << "finished, but the queue did not "
                                                          "answer: it will run again";
                       else if (*f == Finished::NotHeld)
                           qCWarning(lcJobs).noquote() << what << "finished after another worker "
                                                          "claimed it";
                       else if (*f == Finished::Retried)
                           qCInfo(lcJobs).noquote() << what << "attempt" << claimed.job.attempt
                                                    << "failed, retried later:" << result.error;
                       else if (*f == Finished::Dead)
                           qCWarning(lcJobs).noquote() << what << "is a dead letter after attempt"
                                                       << claimed.job.attempt << ":" << result.error;
                       if (m_stopping)
                           checkStopped();
                       else
                           schedulePoll(0);
                   });
}

void Worker::keepHeld()
{
    QHash<QString, QList<ClaimedJob>> byQueue;
    for (const ClaimedJob &c : std::as_const(m_held))
        byQueue[c.job.queue] << c;
    for (auto it = byQueue.cbegin(); it != byQueue.cend(); ++it)
        m_queue.hold(it.key(), m_settings.consumer, true, it.value(), [](bool ok) {
            if (!ok)
                qCWarning(lcJobs) << "cannot keep the jobs being run: the queue does not answer";
        });
}

void Worker::stop(int graceMs, std::function<void()> stopped)
{
    m_stopping = true;
    m_stopped = std::move(stopped);
    m_pollTimer.stop();
    if (!m_held.isEmpty())
        qCInfo(lcJobs) << "stopping: waiting up to" << graceMs << "ms for" << m_held.size()
                       << "running jobs";
    m_graceTimer.start(graceMs);
    checkStopped();
}

void Worker::releaseHeld()
{
    if (m_held.isEmpty())
        return;
    qCWarning(lcJobs) << "stopping: giving back" << m_held.size() << "jobs still running";
    const QList<ClaimedJob> held = m_held.values();
    m_held.clear();
    giveBack(held);
}

void Worker::giveBack(const QList<ClaimedJob> &jobs)
{
    QHash<QString, QList<ClaimedJob>> byQueue;
    for (const ClaimedJob &c : jobs)
        byQueue[c.job.queue] << c;
    for (auto it = byQueue.cbegin(); it != byQueue.cend(); ++it) {
        ++m_givingBack;
        m_queue.hold(it.key(), m_settings.consumer, false, it.value(),
                     [this, guard = QPointer<QObject>(this)](bool ok) {
                         if (!ok)
                             qCWarning(lcJobs) << "cannot give jobs back: they run again after "
                                                  "the visibility timeout";
                         if (!guard)
                             return;
                         --m_givingBack;
                         checkStopped();
                     });
    }
}

void Worker::checkStopped()
{
    if (!m_stopping || !m_held.isEmpty() || m_claiming || m_givingBack > 0 || !m_stopped)
        return;
    m_graceTimer.stop();
    m_keepTimer.stop();
    auto stopped = std::move(m_stopped);
    m_stopped = {};
    stopped();
}

} // namespace sanayicin::jobs
