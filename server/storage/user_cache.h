#pragma once

#include "protocol/objects.h"

#include <QHash>
#include <QReadWriteLock>
#include <vector>

namespace sanayicin {

class Db;

// Users as objects are never edited after registration (name, role and
// creation time are fixed), so they can be kept in memory without expiry;
// the conversation list then needs no join on users for every row.
// Thread-safe; bounded.
class UserCache
{
public:
    explicit UserCache(qsizetype maxEntries = 200000) : m_max(maxEntries) {}

    // The users with these ids, from memory or (the rest, in one query) from
    // the database. Unknown ids are left out.
    QHash<qint64, User> users(Db &db, const std::vector<qint64> &ids);

private:
    QReadWriteLock m_lock;
    QHash<qint64, User> m_users;
    qsizetype m_max;
};

} // namespace sanayicin
