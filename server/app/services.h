#pragma once

#include <QString>
#include <atomic>

namespace sanayicin {

struct DaemonConfig;
struct ServerMetrics;
class DbPool;
class MessageWriter;
class Hub;
class SessionCache;
class RateLimiter;
class PasswordHasher;
class MembershipCache;
class Authenticator;

// What request handlers and connections reach for. Everything here is
// thread-safe; the daemon owns it all and outlives every user.
struct Services
{
    const DaemonConfig &config;
    ServerMetrics &metrics;
    DbPool &readers;
    MessageWriter &writer;
    Hub &hub;
    SessionCache &sessions;
    RateLimiter &limiter;
    PasswordHasher &hasher;
    MembershipCache &members;
    Authenticator &auth;
    std::atomic<bool> draining{false};
};

} // namespace sanayicin
