#include "registry.h"

namespace sanayicin::echo {

void Registry::add(int64_t user, ConnRef ref)
{
    UserStripe &s = m_users[uint64_t(user) % kStripes];
    std::lock_guard<std::mutex> lock(s.mutex);
    s.conns[user].push_back(ref);
}

void Registry::remove(int64_t user, uint64_t connId)
{
    UserStripe &s = m_users[uint64_t(user) % kStripes];
    std::lock_guard<std::mutex> lock(s.mutex);
    auto it = s.conns.find(user);
    if (it == s.conns.end())
        return;
    auto &v = it->second;
    for (size_t i = 0; i < v.size(); ++i) {
        if (v[i].id == connId) {
            v[i] = v.back();
            v.pop_back();
            break;
        }
    }
    if (v.empty())
        s.conns.erase(it);
}

void Registry::withNextSeq(int64_t conversationId, const std::function<void(int64_t)> &deliver)
{
    ConversationStripe &s = m_conversations[uint64_t(conversationId) % kStripes];
    std::lock_guard<std::mutex> lock(s.mutex);
    deliver(++s.seq[conversationId]);
}

void Registry::forEachConnection(int64_t user, const std::function<void(const ConnRef &)> &fn)
{
    UserStripe &s = m_users[uint64_t(user) % kStripes];
    std::lock_guard<std::mutex> lock(s.mutex);
    auto it = s.conns.find(user);
    if (it == s.conns.end())
        return;
    for (const ConnRef &r : it->second)
        fn(r);
}

} // namespace sanayicin::echo
