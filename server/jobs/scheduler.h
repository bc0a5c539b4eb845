#pragma once

#include "job_queue.h"

#include <QHash>
#include <QObject>
#include <QTimer>

namespace sanayicin::jobs {

// Puts periodic jobs on their queues, one job per period ("slot": the
// epoch milliseconds divided by the period). However many schedulers run,
// one is active: the holder of the lease "scheduler", renewed every third
// of its time to live; the others try to take it at the same pace. Each
// enqueue is fenced on the queue's side (JobQueue::enqueueScheduled): a
// scheduler that lost the lease without noticing (paused, cut off) cannot
// enqueue, and a slot is enqueued once even across a change of holder.
class Scheduler : public QObject
{
public:
    struct Periodic
    {
        QString queue;
        QString type;
        qint64 periodMs = 0;
    };

    Scheduler(JobQueue &queue, QString holder, qint64 leaseMs, QList<Periodic> periodic,
              QObject *parent = nullptr);

    void start();
    // Gives the lease up (another scheduler takes over at once), then `stopped`.
    void stop(std::function<void()> stopped);
    bool leading() const { return m_leading; }

    static const QString kLease;

private:
    void tick();
    void schedule(qint64 nowMs);

    JobQueue &m_queue;
    QString m_holder;
    qint64 m_leaseMs;
    QList<Periodic> m_periodic;
    QHash<QString, qint64> m_lastSlot; // by type: the last slot known done
    QTimer m_timer;
    bool m_asking = false;
    bool m_leading = false;
};

} // namespace sanayicin::jobs
