#include "user_cache.h"

#include "batched_lookup.h"
#include "row_readers.h"

namespace sanayicin {

QHash<qint64, User> UserCache::users(Db &db, const std::vector<qint64> &ids)
{
    QHash<qint64, User> out;
    std::vector<qint64> missing;
    {
        QReadLocker lock(&m_lock);
        for (qint64 id : ids) {
            if (auto it = m_users.constFind(id); it != m_users.constEnd())
                out.insert(id, *it);
            else
                missing.push_back(id);
        }
    }
    if (missing.empty())
        return out;
    std::sort(missing.begin(), missing.end());
    missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
    const DbRows rows =
        db.query(QStringLiteral("users_by_ids"), {idListParameter(db.dialect(), missing)});
    QWriteLocker lock(&m_lock);
    if (m_users.size() + rows.size() > m_max)
        m_users.clear(); // crude bound; users come back on demand
    for (int r = 0; r < rows.size(); ++r) {
        const User u = readUser(rows, r, 0);
        m_users.insert(u.id, u);
        out.insert(u.id, u);
    }
    return out;
}

} // namespace sanayicin
