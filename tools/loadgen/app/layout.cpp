#include "layout.h"

#include <algorithm>

namespace sanayicin::loadgen {

uint32_t Layout::senderCount() const
{
    uint32_t n = 0;
    for (const ConnPlan &c : conns)
        n += c.sender ? 1 : 0;
    return n;
}

std::vector<UserConversation> Layout::conversationsOfUser(uint32_t user) const
{
    std::vector<UserConversation> out;
    const uint32_t p = user / 2;
    if (user >= busyUsers || p >= conversations.size())
        return out;
    out.push_back({conversations[p], user ^ 1u});
    if (ringConversations.empty()) // no --ring (planLayout makes one only for 2 pairs or more)
        return out;
    const auto pairs = uint32_t(ringConversations.size());
    if (user % 2) // 2p+1: ring p, with the next pair's first user
        out.push_back({ringConversations[p], ringSecond(p)});
    else { // 2p: ring p-1, with the previous pair's second user
        const uint32_t q = (p + pairs - 1) % pairs;
        out.push_back({ringConversations[q], ringFirst(q)});
    }
    return out;
}

std::unordered_map<int64_t, std::vector<uint32_t>> Layout::receiversByConversation() const
{
    std::unordered_map<int64_t, std::vector<uint32_t>> out;
    const auto addUsers = [&](int64_t conversation, uint32_t a, uint32_t b) {
        std::vector<uint32_t> &v = out[conversation];
        for (uint32_t u : {a, b})
            if (u < connsOfUser.size())
                v.insert(v.end(), connsOfUser[u].begin(), connsOfUser[u].end());
    };
    for (uint32_t p = 0; p < conversations.size(); ++p)
        addUsers(conversations[p], 2 * p, 2 * p + 1);
    for (uint32_t p = 0; p < ringConversations.size(); ++p)
        addUsers(ringConversations[p], ringFirst(p), ringSecond(p));
    return out;
}

Layout planLayout(const Options &o)
{
    Layout l;
    uint32_t busyConns = 0;
    if (o.storm > 0) {
        // A storm only authenticates: users without conversations, so that no
        // presence or message traffic mixes into the connection rate.
        busyConns = uint32_t(o.storm);
        l.busyUsers = uint32_t(o.users > 0 ? o.users : std::min(o.storm, 1000));
        l.needsConversations = false;
    } else {
        busyConns = uint32_t(o.connections);
        l.busyUsers = busyConns ? uint32_t(o.users) : 0;
    }
    l.idleUsers = o.idle > 0 ? uint32_t(o.idleUsers) : 0;
    const uint32_t totalUsers = l.busyUsers + l.idleUsers;
    l.accounts.resize(totalUsers);
    l.connsOfUser.resize(totalUsers);
    if (l.needsConversations) {
        l.conversations.resize(l.busyUsers / 2, 0);
        if (o.ring && l.conversations.size() >= 2)
            l.ringConversations.resize(l.conversations.size(), 0);
    }

    const size_t urls = std::max<size_t>(1, o.urls.size());
    auto add = [&](uint32_t user, bool idle) {
        ConnPlan c;
        c.user = user;
        c.idle = idle;
        const auto index = uint32_t(l.conns.size());
        c.url = uint16_t(index % urls);
        c.source = o.sources.empty() ? 0 : o.sources[index % o.sources.size()];
        // The first senders-per-user connections of a busy user send.
        c.sender = !idle && l.needsConversations
                   && l.connsOfUser[user].size() < size_t(o.sendersPerUser);
        l.connsOfUser[user].push_back(index);
        l.conns.push_back(c);
    };
    for (uint32_t i = 0; i < busyConns; ++i)
        add(i % l.busyUsers, false);
    for (uint32_t i = 0; i < uint32_t(o.idle); ++i)
        add(l.busyUsers + i % l.idleUsers, true);
    return l;
}

void assignIdsWithoutSetup(Layout &l)
{
    for (size_t i = 0; i < l.accounts.size(); ++i) {
        l.accounts[i].id = int64_t(i + 1);
        l.accounts[i].token = std::to_string(i + 1);
    }
    for (size_t p = 0; p < l.conversations.size(); ++p)
        l.conversations[p] = int64_t(p + 1);
}

} // namespace sanayicin::loadgen
