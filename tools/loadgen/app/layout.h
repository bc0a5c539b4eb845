#pragma once

#include "options.h"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace sanayicin::loadgen {

struct Account
{
    int64_t id = 0;
    std::string token;
};

struct ConnPlan
{
    uint32_t user = 0;
    bool sender = false;
    bool idle = false;
    uint16_t url = 0;    // index into Options::urls
    uint32_t source = 0; // local address to bind, 0: the kernel's choice
};

// One conversation of a busy user and the other participant in it.
struct UserConversation
{
    int64_t id = 0;
    uint32_t peer = 0;
};

// Who is who in a run. Busy users come in pairs (users 2p and 2p+1 share
// conversation p); with --ring user 2p+1 also shares ring conversation p with
// user 2p+2 (the last pair's with user 0), so each user is in two.
// Connections are dealt to users round-robin, so with more connections than
// users each user has several; idle users and their connections come after
// the busy ones and are in no conversation.
struct Layout
{
    uint32_t busyUsers = 0;
    uint32_t idleUsers = 0;
    bool needsConversations = true;
    std::vector<Account> accounts;      // busy users, then idle users
    std::vector<int64_t> conversations; // pair p -> conversation id
    std::vector<int64_t> ringConversations; // --ring: pair p -> id of (2p+1, 2p+2 mod users)
    std::vector<ConnPlan> conns;        // busy connections, then idle ones
    std::vector<std::vector<uint32_t>> connsOfUser;

    // The user's pair conversation first, then its ring one; none for an idle user.
    std::vector<UserConversation> conversationsOfUser(uint32_t user) const;
    // Ring conversation p is between these two users.
    uint32_t ringFirst(uint32_t p) const { return 2 * p + 1; }
    uint32_t ringSecond(uint32_t p) const { return uint32_t((2 * p + 2) % (2 * conversations.size())); }
    uint32_t senderCount() const;
    // Conversation id -> connection indices of both its participants.
    std::unordered_map<int64_t, std::vector<uint32_t>> receiversByConversation() const;
};

Layout planLayout(const Options &o);
// --no-setup: user i is id i+1 with token "i+1"; conversation p is id p+1,
// between users 2p+1 and 2p+2 (what the echo server derives from an id).
void assignIdsWithoutSetup(Layout &layout);

} // namespace sanayicin::loadgen
