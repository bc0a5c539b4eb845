#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QThreadPool>
#include <atomic>
#include <deque>
#include <functional>
#include <mutex>

namespace sanayicin {

class Counter;

// argon2id (Debian's libargon2) on its own thread pool, never on a network
// thread: one hash costs tens of milliseconds by design. The queue in front
// of the pool is bounded: past the limit, work is refused at once (the
// caller answers 503) instead of making every later login wait behind it.
// Queued work is taken in turns by owner (the client address): a flood from
// one address does not delay a login from another by more than one job.
class PasswordHasher
{
public:
    // queueLimit: jobs that may wait for a thread (0: no limit).
    PasswordHasher(quint32 memoryKiB, quint32 iterations, int threads, int queueLimit = 0);

    // Blocking; call from a pool thread (or a command-line tool). Empty when
    // argon2 fails (e.g. no memory): logged and counted, for that one caller.
    QString hash(const QString &password) const;
    // False when even the start-up hash failed: the settings cannot work.
    bool usable() const { return !m_dummyHash.isEmpty(); }
    bool verify(const QString &encoded, const QString &password) const;
    // Spends the same time as a real verify, for unknown users, so that the
    // answer's timing does not tell which usernames exist.
    void verifyDummy(const QString &password) const;

    // Queues `work`; false (and nothing queued) when the queue is full.
    // `wanted`, if given, is asked on the pool thread just before the work
    // would start: false drops it unrun (its client went away meanwhile).
    bool tryRun(std::function<void()> work, std::function<bool()> wanted = {})
    {
        return tryRun({}, std::move(work), std::move(wanted));
    }
    bool tryRun(const QByteArray &owner, std::function<void()> work, std::function<bool()> wanted);
    // A client refused because the queue is full may try again after about
    // this long: the time the pool needs to work off what waits now.
    qint64 retryAfterMs() const;

    // Metrics for refused and dropped jobs (optional; set before use).
    void setCounters(Counter *refused, Counter *dropped)
    {
        m_refusedCounter = refused;
        m_droppedCounter = dropped;
    }
    void setFailedCounter(Counter *failed) { m_failedCounter = failed; }

    int waiting() const { return m_waiting.load(); }
    int running() const { return m_running.load(); }
    quint64 refused() const { return m_refused.load(); }
    quint64 dropped() const { return m_dropped.load(); }

private:
    struct Job
    {
        std::function<void()> work;
        std::function<bool()> wanted;
    };
    void runNext(); // on a pool thread: the next owner's oldest job

    quint32 m_memoryKiB;
    quint32 m_iterations;
    int m_threads;
    int m_queueLimit;
    QString m_dummyHash;
    std::atomic<int> m_waiting{0};
    std::atomic<int> m_running{0};
    std::atomic<quint64> m_refused{0};
    std::atomic<quint64> m_dropped{0};
    std::atomic<qint64> m_averageNs{0}; // of recent jobs, for Retry-After
    std::mutex m_mutex;
    QHash<QByteArray, std::deque<Job>> m_queues;
    std::deque<QByteArray> m_turns; // owners with queued work, in turn
    Counter *m_refusedCounter = nullptr;
    Counter *m_failedCounter = nullptr;
    Counter *m_droppedCounter = nullptr;
    QThreadPool m_pool;
};

} // namespace sanayicin
