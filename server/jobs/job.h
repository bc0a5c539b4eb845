#pragma once

#include <QByteArray>
#include <QString>

#include <functional>

// The job queue's vocabulary, shared by the queue (Redis Streams or the
// embedded database), the worker that runs handlers, and the code that feeds
// jobs in (the chat layer's notifications, the scheduler). At-least-once: a
// handler may see the same job twice (a worker killed after the work, before
// the acknowledgement), so every handler is idempotent.

namespace sanayicin::jobs {

// What a producer asks for.
struct JobSpec {
    QString queue;          // "notify", "maintenance", ...: one stream / one set of rows
    QString type;           // the handler's name, e.g. "webhook.notify", "sessions.purge"
    QByteArray payload;     // the handler's JSON; never logged
    QString dedupeKey;      // non-empty: a second job with the same key is dropped while the first waits
    qint64 notBeforeMs = 0; // epoch ms before which the job does not run (0: at once)
};

// What a handler gets.
struct Job {
    QString id;             // the queue's id (stream entry id / row id), stable across retries
    QString queue;
    QString type;
    QByteArray payload;
    int attempt = 1;        // 1 on the first run
    qint64 enqueuedAtMs = 0;
};

enum class JobOutcome {
    Done,   // acknowledged, removed
    Retry,  // a transient failure: run again after the queue's backoff, until its attempts run out
    Fail,   // a permanent failure: straight to the dead letters
};

struct JobResult {
    JobOutcome outcome = JobOutcome::Done;
    QString error;          // for the dead letter and the log; no secrets, no bodies
};

// A handler answers once, on any thread, through `finish`.
using JobHandler = std::function<void(const Job &job, std::function<void(JobResult)> finish)>;

// Where producers put jobs; `done` (optional) runs on the caller's thread
// with the job's id, or an empty id when it was a duplicate of a waiting
// job, or ok=false when the queue could not take it.
class JobSink {
public:
    virtual ~JobSink() = default;
    virtual void enqueue(JobSpec spec,
                         std::function<void(bool ok, QString id)> done = {}) = 0;
};

} // namespace sanayicin::jobs
