#include "membership_cache.h"

namespace sanayicin {

std::optional<store::Members> MembershipCache::find(qint64 conversationId) const
{
    QReadLocker lock(&m_lock);
    if (auto it = m_members.constFind(conversationId); it != m_members.constEnd())
        return *it;
    return std::nullopt;
}

void MembershipCache::insert(qint64 conversationId, store::Members members)
{
    QWriteLocker lock(&m_lock);
    if (m_members.size() >= m_max)
        m_members.clear(); // crude, but entries are cheap to reload
    m_members.insert(conversationId, members);
}

std::optional<store::Members> MembershipCache::load(Db &db, qint64 conversationId)
{
    if (auto hit = find(conversationId))
        return hit;
    auto members = store::membersOf(db, conversationId);
    if (members)
        insert(conversationId, *members);
    return members;
}

} // namespace sanayicin
