#pragma once

#include "db.h"

#include <QMetaObject>
#include <QObject>
#include <QPointer>
#include <QThread>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>

namespace sanayicin {

class Histogram;

// A few threads, each with its own database connection, that run jobs from
// one queue. Network threads hand their database work here and get the
// result back as a queued call on their own thread: they never block.
class DbPool
{
public:
    using Job = std::function<void(Db &)>;

    DbPool(DatabaseUrl url, int threads, QString purpose, Histogram *queryTimer);
    ~DbPool();

    // Opens every connection; false (with `error`) if one cannot be opened.
    bool start(QString &error);
    // Finishes the queued jobs, then stops the threads.
    void stop();

    void post(Job job);
    int queueDepth() const;
    int threads() const { return m_threadCount; }

    // Runs `work` on a pool thread, then `done(result)` on `context`'s thread
    // (dropped if `context` is gone by then). `work` may throw DbError: then
    // `failed(error)` runs on `context`'s thread instead.
    template<typename R>
    void run(QObject *context, std::function<R(Db &)> work, std::function<void(R)> done,
             std::function<void(const DbError &)> failed)
    {
        QPointer<QObject> ctx(context);
        post([ctx, work = std::move(work), done = std::move(done),
              failed = std::move(failed)](Db &db) mutable {
            try {
                R result = work(db);
                if (ctx)
                    QMetaObject::invokeMethod(
                        ctx.data(),
                        [done = std::move(done), result = std::move(result)]() mutable {
                            done(std::move(result));
                        },
                        Qt::QueuedConnection);
            } catch (const DbError &e) {
                if (ctx)
                    QMetaObject::invokeMethod(
                        ctx.data(), [failed = std::move(failed), e] { failed(e); },
                        Qt::QueuedConnection);
            }
        });
    }

private:
    class Worker;
    void workerLoop(Db &db);

    DatabaseUrl m_url;
    int m_threadCount;
    QString m_purpose;
    Histogram *m_queryTimer;
    std::vector<QThread *> m_threads;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_queue;
    bool m_stopping = false;
};

} // namespace sanayicin
