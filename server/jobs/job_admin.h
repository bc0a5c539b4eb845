#pragma once

#include "job_queue.h"

#include <QObject>

namespace sanayicin::jobs {

// What administrators see of the job queues and do with dead letters (the
// chat layer's Administration asks; the daemon's job runtime answers).
class JobAdmin
{
public:
    struct Queue
    {
        QString name;
        QueueStats stats; // as last read (every few seconds)
    };

    virtual ~JobAdmin() = default;

    // "redis" or "embedded".
    virtual QString backend() const = 0;
    // The daemon's queues and their numbers; any thread.
    virtual QList<Queue> queues() const = 0;
    // Any thread; `done` runs on `context`'s thread if it still lives then.
    // std::nullopt: the queue did not answer.
    virtual void deadLetters(const QString &queue, int max, QObject *context,
                             std::function<void(std::optional<QList<DeadLetter>>)> done) = 0;
    // retry: back on its queue with all its attempts; else dropped. The
    // answer: whether there was such a dead letter.
    virtual void resolveDeadLetter(const QString &queue, const QString &id, bool retry,
                                   QObject *context, std::function<void(std::optional<bool>)> done) = 0;
};

// A queue's name as the admin API takes it: 1 to 64 of a-z, A-Z, 0-9, '.', '_', '-'.
bool isValidQueueName(const QString &name);
// A dead letter's id: 1 to 64 of 0-9 and '-' (a stream entry id or a row id).
bool isValidDeadLetterId(const QString &id);

} // namespace sanayicin::jobs
