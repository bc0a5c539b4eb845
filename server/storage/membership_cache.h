#pragma once

#include "conversation_store.h"

#include <QHash>
#include <QReadWriteLock>
#include <optional>

namespace sanayicin {

// Who belongs to which conversation. Conversations never change members, so
// an entry is never stale; the cache is only bounded in size. Thread-safe.
class MembershipCache
{
public:
    explicit MembershipCache(qsizetype maxEntries = 500000) : m_max(maxEntries) {}

    std::optional<store::Members> find(qint64 conversationId) const;
    void insert(qint64 conversationId, store::Members members);
    // The cache, else the database (and remember the answer).
    std::optional<store::Members> load(Db &db, qint64 conversationId);

private:
    mutable QReadWriteLock m_lock;
    QHash<qint64, store::Members> m_members;
    qsizetype m_max;
};

} // namespace sanayicin
