#pragma once

#include <QString>
#include <QByteArray>
#include <QList>
#include <atomic>
#include <functional>

namespace sanayicin {

struct DaemonConfig;
struct ServerMetrics;
class DbPool;
class MessageWriter;
class Hub;
class SessionCache;
class RateLimiter;
class RateGate;
class PasswordHasher;
class MembershipCache;
class Authenticator;
class DeliveryService;
class RecentMessages;
class DirectoryCache;
class UserCache;
template<typename Value>
class BatchedLookup;
class ConnectionLimits;
struct HttpDeps;
namespace chat {
struct Chat;
}

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
    RateLimiter &limiter; // this instance's own buckets
    RateGate &rates;      // shared buckets when there is a bridge
    PasswordHasher &hasher;
    MembershipCache &members;
    Authenticator &auth;
    DeliveryService &delivery;
    RecentMessages &recent;
    DirectoryCache &directory;
    UserCache &users;
    BatchedLookup<qint64> &hellos;          // newest message id per user, for hello
    BatchedLookup<QList<qint64>> &peers;    // who shares a conversation with a user
    // This instance for the console: {"id", "version", "started_at", ...}.
    std::function<QByteArray()> instanceSummary;
    std::atomic<bool> draining{false};
    ConnectionLimits *connections = nullptr; // caps on open connections (net/)
    HttpDeps *http = nullptr;                // what the HTTP servers are built on
    chat::Chat *chat = nullptr;              // the use cases (chat/)
};

} // namespace sanayicin
