#include "hello_batcher.h"

#include "db.h"
#include "db_pool.h"
#include "logging/log.h"

#include <QMetaObject>

namespace sanayicin {

void HelloBatcher::lastMessageId(QObject *home, qint64 userId, Done done)
{
    bool start = false;
    {
        std::lock_guard lock(m_mutex);
        m_pending.push_back({home, userId, std::move(done)});
        start = !m_running;
        m_running = true;
    }
    if (start)
        schedule();
}

void HelloBatcher::schedule()
{
    m_pool.post([this](Db &db) {
        std::vector<Request> batch;
        {
            std::lock_guard lock(m_mutex);
            const size_t n = std::min(m_pending.size(), size_t(m_maxBatch));
            batch.assign(std::make_move_iterator(m_pending.begin()),
                         std::make_move_iterator(m_pending.begin() + qsizetype(n)));
            m_pending.erase(m_pending.begin(), m_pending.begin() + qsizetype(n));
        }
        QHash<qint64, qint64> last;
        bool ok = true;
        try {
            std::vector<qint64> users;
            users.reserve(batch.size());
            for (const Request &r : batch)
                users.push_back(r.userId);
            // PostgreSQL takes an array literal, SQLite a JSON array: the
            // same text, "{1,2}" versus "[1,2]".
            QByteArray list = pgIntArray(users);
            if (db.dialect() == Dialect::Sqlite) {
                list[0] = '[';
                list[list.size() - 1] = ']';
            }
            const DbRows rows = db.query(QStringLiteral("last_message_ids"), {list});
            for (int r = 0; r < rows.size(); ++r)
                last.insert(rows.int64(r, 0), rows.int64(r, 1));
        } catch (const DbError &e) {
            qCWarning(lcStorage).noquote() << "hello look-up failed:" << e.what();
            ok = false;
        }
        for (Request &r : batch) {
            if (QObject *h = r.home.data())
                QMetaObject::invokeMethod(
                    h, [done = std::move(r.done), ok, id = last.value(r.userId, 0)] { done(ok, id); },
                    Qt::QueuedConnection);
        }
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

} // namespace sanayicin
