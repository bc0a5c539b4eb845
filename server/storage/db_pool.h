#pragma once

#include "db.h"
#include "threading/reply_to.h"

#include <QObject>
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

    // Runs `work` on a pool thread, then `done(result)` on `context`'s
    // thread, through its mailbox (common/threading/reply_to.h), if
    // `context` still exists then; asked there, so it cannot die between the
    // check and the call. `work` may throw DbError: then `failed(error)` runs
    // instead, the same way. Called from another thread than `context`'s,
    // the call is queued to `context`'s thread first.
    template<typename R>
    void run(QObject *context, std::function<R(Db &)> work, std::function<void(R)> done,
             std::function<void(const DbError &)> failed)
    {
        if (askedElsewhere(context)) {
            QMetaObject::invokeMethod(
                context,
                [this, context, work = std::move(work), done = std::move(done),
                 failed = std::move(failed)]() mutable {
                    run<R>(context, std::move(work), std::move(done), std::move(failed));
                },
                Qt::QueuedConnection);
            return;
        }
        post([reply = ReplyTo(context), work = std::move(work), done = std::move(done),
              failed = std::move(failed)](Db &db) mutable {
            try {
                R result = work(db);
                std::move(reply).post([done = std::move(done), result = std::move(result)]() mutable {
                    done(std::move(result));
                });
            } catch (const DbError &e) {
                std::move(reply).post([failed = std::move(failed), e] { failed(e); });
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
