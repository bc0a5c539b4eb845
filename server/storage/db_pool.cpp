#include "db_pool.h"

#include "logging/log.h"
#include "threading/thread_exit.h"

#include <QSemaphore>

namespace sanayicin {

DbPool::DbPool(DatabaseUrl url, int threads, QString purpose, Histogram *queryTimer)
    : m_url(std::move(url)), m_threadCount(threads), m_purpose(std::move(purpose))
    , m_queryTimer(queryTimer)
{}

DbPool::~DbPool()
{
    stop();
}

bool DbPool::start(QString &error)
{
    QSemaphore opened;
    std::atomic<bool> failed{false};
    QString firstError;
    std::mutex errorMutex;
    for (int i = 0; i < m_threadCount; ++i) {
        QThread *t = QThread::create([this, i, &opened, &failed, &firstError, &errorMutex] {
            waitForThisThreadAtExit();
            QString err;
            std::unique_ptr<Db> db = Db::connect(m_url, QStringLiteral("%1%2").arg(m_purpose).arg(i), err);
            if (!db) {
                {
                    std::lock_guard lock(errorMutex);
                    if (firstError.isEmpty())
                        firstError = err;
                }
                failed = true;
                opened.release();
                return;
            }
            db->setQueryTimer(m_queryTimer);
            opened.release();
            workerLoop(*db);
        });
        t->setObjectName(QStringLiteral("%1-%2").arg(m_purpose).arg(i));
        t->start();
        m_threads.push_back(t);
    }
    opened.acquire(m_threadCount);
    if (failed) {
        error = firstError;
        stop();
        return false;
    }
    return true;
}

void DbPool::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    for (QThread *t : m_threads) {
        t->wait();
        delete t;
    }
    m_threads.clear();
}

void DbPool::post(Job job)
{
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back(std::move(job));
    }
    m_wake.notify_one();
}

int DbPool::queueDepth() const
{
    std::lock_guard lock(m_mutex);
    return int(m_queue.size());
}

void DbPool::workerLoop(Db &db)
{
    for (;;) {
        Job job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty())
                return; // stopping, and nothing left to do
            job = std::move(m_queue.front());
            m_queue.pop_front();
        }
        try {
            job(db);
        } catch (const DbError &e) {
            qCWarning(lcStorage).noquote() << "database job failed:" << e.what();
        } catch (const std::exception &e) {
            qCCritical(lcStorage) << "database job threw:" << e.what();
        }
    }
}

} // namespace sanayicin
