#pragma once

#include <QHash>
#include <QObject>
#include <QPointer>
#include <functional>
#include <mutex>
#include <vector>

namespace sanayicin {

class DbPool;

// The newest message id each opening WebSocket's hello needs, looked up for
// many connections in one query: requests gather while a query runs and the
// next query takes them all (like the writer's group commit). A connection
// storm then costs a query per few hundred connections, not one each.
class HelloBatcher
{
public:
    using Done = std::function<void(bool ok, qint64 lastMessageId)>;

    explicit HelloBatcher(DbPool &pool, int maxBatch = 1000) : m_pool(pool), m_maxBatch(maxBatch) {}

    // `done` runs on `home`'s thread (a long-lived object of the caller's).
    void lastMessageId(QObject *home, qint64 userId, Done done);

private:
    struct Request
    {
        QPointer<QObject> home;
        qint64 userId;
        Done done;
    };
    void schedule();

    DbPool &m_pool;
    int m_maxBatch;
    std::mutex m_mutex;
    std::vector<Request> m_pending;
    bool m_running = false;
};

} // namespace sanayicin
