#pragma once

#include "db.h"
#include "db_pool.h"
#include "threading/reply_to.h"

#include <QHash>
#include <QObject>
#include <QThread>
#include <functional>
#include <mutex>
#include <vector>

namespace sanayicin {

// A look-up by user id that many callers need at once (a connection storm's
// hellos, its presence announcements): requests gather while one query runs
// on the read pool and the next query takes them all, like the writer's
// group commit. A storm then costs a query per few hundred connections.
template<typename Value>
class BatchedLookup
{
public:
    // One query for many keys; keys without a row get Value{}.
    using Query = std::function<QHash<qint64, Value>(Db &, const std::vector<qint64> &)>;
    using Done = std::function<void(bool ok, Value value)>;

    BatchedLookup(DbPool &pool, Query query, int maxBatch = 1000)
        : m_pool(pool), m_query(std::move(query)), m_maxBatch(maxBatch)
    {}

    // `done` runs on `guard`'s thread (through its mailbox) if `guard` still
    // exists then. Called from another thread, the call is queued to
    // `guard`'s thread first.
    void lookup(QObject *guard, qint64 key, Done done)
    {
        if (askedElsewhere(guard)) {
            QMetaObject::invokeMethod(
                guard,
                [this, guard, key, done = std::move(done)]() mutable { lookup(guard, key, std::move(done)); },
                Qt::QueuedConnection);
            return;
        }
        bool start = false;
        {
            std::lock_guard lock(m_mutex);
            m_pending.push_back({ReplyTo(guard), key, std::move(done)});
            start = !m_running;
            m_running = true;
        }
        if (start)
            schedule();
    }

private:
    struct Request
    {
        ReplyTo reply;
        qint64 key;
        Done done;
    };

    void schedule()
    {
        m_pool.post([this](Db &db) {
            std::vector<Request> batch;
            {
                std::lock_guard lock(m_mutex);
                const auto n = qsizetype(std::min(m_pending.size(), size_t(m_maxBatch)));
                batch.assign(std::make_move_iterator(m_pending.begin()),
                             std::make_move_iterator(m_pending.begin() + n));
                m_pending.erase(m_pending.begin(), m_pending.begin() + n);
            }
            QHash<qint64, Value> found;
            bool ok = true;
            try {
                std::vector<qint64> keys;
                keys.reserve(batch.size());
                for (const Request &r : batch)
                    keys.push_back(r.key);
                std::sort(keys.begin(), keys.end());
                keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
                found = m_query(db, keys);
            } catch (const DbError &) {
                ok = false;
            }
            for (Request &r : batch)
                std::move(r.reply).post([done = std::move(r.done), ok, v = found.value(r.key)] { done(ok, v); });
            bool again = false;
            {
                std::lock_guard lock(m_mutex);
                again = !m_pending.empty();
                m_running = again;
            }
            if (again)
                schedule();
        });
    }

    DbPool &m_pool;
    Query m_query;
    int m_maxBatch;
    std::mutex m_mutex;
    std::vector<Request> m_pending;
    bool m_running = false;
};

// An id list as a bound parameter: "{1,2}" for PostgreSQL's arrays, "[1,2]"
// for SQLite's json_each().
QByteArray idListParameter(Dialect dialect, const std::vector<qint64> &ids);

} // namespace sanayicin
