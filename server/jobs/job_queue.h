#pragma once

#include "job.h"

#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace sanayicin::jobs {

// How a queue treats its jobs (the same for every backend).
struct QueuePolicy
{
    int maxAttempts = 5;               // runs before a Retry becomes a dead letter
    qint64 backoffBaseMs = 1000;       // after attempt n: base * 2^(n-1) ...
    qint64 backoffMaxMs = 10 * 60000;  // ... at most this
    qint64 visibilityMs = 60000;       // a held job untouched this long is another worker's
    qint64 dedupeTtlMs = 24 * 3600000; // a dedupe key is forgotten after this at the latest
};

// A job as a worker holds it: `entry` is what the backend needs to answer
// for it (a stream entry id), `job.id` stays the same across retries.
struct ClaimedJob
{
    Job job;
    QString entry;
};

struct QueueStats
{
    qint64 waiting = 0;     // ready or delayed (backoff, notBefore)
    qint64 pending = 0;     // claimed, not acknowledged
    qint64 oldestAgeMs = 0; // how long the job due longest has been due (waiting or held)
    qint64 deadLetters = 0;
    qint64 done = 0, retried = 0, dead = 0; // totals since the queue began
};

struct DeadLetter
{
    QString id;    // the dead letter's own id (for retry and drop)
    QString jobId;
    QString type;
    int attempts = 0;
    QString error;
    qint64 diedAtMs = 0;
};

// What the finish of one job came to.
enum class Finished { NotHeld, Done, Retried, Dead };

// A queue backend. enqueue() (JobSink) may be called from any thread; the
// rest only on the thread the queue lives on, and their callbacks run
// there. std::nullopt: the backend did not answer (Redis down, a database
// error), nothing changed that the caller can rely on.
class JobQueue : public JobSink
{
public:
    const QueuePolicy &policy() const { return m_policy; }
    void setPolicy(const QueuePolicy &policy) { m_policy = policy; }

    virtual void claim(const QString &queue, const QString &consumer, int max,
                       std::function<void(std::optional<QList<ClaimedJob>>)> done) = 0;
    virtual void finish(const ClaimedJob &claimed, const QString &consumer, const JobResult &result,
                        std::function<void(std::optional<Finished>)> done) = 0;
    // keep: still working on them (no other worker may claim them); else
    // give them back unrun, their attempt not counted.
    virtual void hold(const QString &queue, const QString &consumer, bool keep,
                      const QList<ClaimedJob> &jobs, std::function<void(bool ok)> done) = 0;
    virtual void stats(const QString &queue, std::function<void(std::optional<QueueStats>)> done) = 0;

    virtual void deadLetters(const QString &queue, int max,
                             std::function<void(std::optional<QList<DeadLetter>>)> done) = 0;
    // retry: back on the queue with all its attempts; else dropped. The
    // answer: whether there was such a dead letter.
    virtual void resolveDeadLetter(const QString &queue, const QString &id, bool retry,
                                   std::function<void(std::optional<bool>)> done) = 0;

    // The scheduler's lease: take or renew (`give` false) or let go. The
    // answer: whether `holder` holds it now.
    virtual void lease(const QString &name, const QString &holder, qint64 ttlMs, bool give,
                       std::function<void(std::optional<bool>)> done) = 0;
    // enqueue() fenced by the lease: only while `holder` holds `lease`, and
    // only once for each `slot` of `schedule`. The answer: whether it went in.
    virtual void enqueueScheduled(JobSpec spec, const QString &lease, const QString &holder,
                                  const QString &schedule, qint64 slot,
                                  std::function<void(std::optional<bool>)> done) = 0;

protected:
    QueuePolicy m_policy;
};

} // namespace sanayicin::jobs
