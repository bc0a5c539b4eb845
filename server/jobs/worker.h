#pragma once

#include "job_queue.h"

#include <QHash>
#include <QObject>
#include <QStringList>
#include <QTimer>
#include <memory>

namespace sanayicin {
class Mailbox;
}

namespace sanayicin::jobs {

// Takes jobs from its queues and runs their handlers, at most `concurrency`
// at once, on the queue's thread (handlers may answer from any thread).
// While it runs a job it keeps it (JobQueue::hold) so that no other worker
// claims it; a worker that dies stops keeping, and after the queue's
// visibility timeout another worker claims the job (at-least-once).
class Worker : public QObject
{
public:
    struct Settings
    {
        QStringList queues;
        QString consumer; // unique among the workers of the queues
        int concurrency = 4;
        int pollMs = 200; // the next look when the queues were empty
    };

    Worker(JobQueue &queue, Settings settings, QObject *parent = nullptr);
    ~Worker() override;

    void addHandler(const QString &type, JobHandler handler);
    void start();
    // Claims nothing more; lets the jobs it runs finish for up to `graceMs`,
    // gives back those still running, then calls `stopped`.
    void stop(int graceMs, std::function<void()> stopped);

    int running() const { return int(m_held.size()); }

private:
    void poll();
    void schedulePoll(int ms);
    void run(const ClaimedJob &claimed);
    void finished(const ClaimedJob &claimed, const JobResult &result);
    void keepHeld();
    void releaseHeld();
    void giveBack(const QList<ClaimedJob> &jobs);
    void checkStopped();

    JobQueue &m_queue;
    Settings m_settings;
    QHash<QString, JobHandler> m_handlers;
    QHash<QString, ClaimedJob> m_held; // by job id
    std::shared_ptr<Mailbox> m_home;
    QTimer m_pollTimer;
    QTimer m_keepTimer;
    QTimer m_graceTimer;
    int m_nextQueue = 0;
    bool m_claiming = false;
    int m_givingBack = 0; // hold(release) calls without an answer yet
    bool m_stopping = false;
    std::function<void()> m_stopped;
};

} // namespace sanayicin::jobs
