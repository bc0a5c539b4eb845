#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace sanayicin::echo {

struct ConnRef
{
    uint32_t thread = 0;
    uint64_t id = 0;
};

// Who is connected as whom, and the per-conversation seq counters, shared by
// the server's threads. Both are striped by id so that threads seldom wait
// on each other. Lock order: a conversation stripe, then a user stripe.
class Registry
{
public:
    void add(int64_t user, ConnRef ref);
    void remove(int64_t user, uint64_t connId);

    // Under the conversation's lock: assigns the next seq and calls `deliver`
    // with it, so that deliveries of one conversation are queued in seq
    // order on every thread (guarantee 4 of docs/protocol.md, which the generator checks).
    void withNextSeq(int64_t conversationId, const std::function<void(int64_t seq)> &deliver);
    // Calls `fn` for every connection of `user` (inside withNextSeq).
    void forEachConnection(int64_t user, const std::function<void(const ConnRef &)> &fn);

    int64_t nextMessageId() { return m_nextId.fetch_add(1, std::memory_order_relaxed) + 1; }

private:
    static constexpr size_t kStripes = 64;
    struct UserStripe
    {
        std::mutex mutex;
        std::unordered_map<int64_t, std::vector<ConnRef>> conns;
    };
    struct ConversationStripe
    {
        std::mutex mutex;
        std::unordered_map<int64_t, int64_t> seq;
    };
    std::array<UserStripe, kStripes> m_users;
    std::array<ConversationStripe, kStripes> m_conversations;
    std::atomic<int64_t> m_nextId{0};
};

} // namespace sanayicin::echo
