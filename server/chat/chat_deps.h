#pragma once

#include "rate/rate_rule.h"
#include "settings/live.h"

#include <QByteArray>
#include <QString>
#include <QtGlobal>
#include <functional>

namespace sanayicin {

class Authenticator;
class Counter;
template<typename Value>
class BatchedLookup;
class DbPool;
class DeliveryService;
class DirectoryCache;
class Gauge;
class Hub;
class MembershipCache;
class MessageWriter;
class PasswordHasher;
class RateGate;
class RateLimiter;
class RecentMessages;
class SessionCache;
class StatsHistory;
class UserCache;

namespace jobs {
class JobAdmin;
}

namespace chat {

class AdminEvents;

// The settings the use cases read. References into the daemon's
// configuration (Live: a reload publishes a new value), so that what changes
// live is seen at once.
struct ChatSettings
{
    const Live<RateRule> &sendRule;
    const Live<RateRule> &typingRule;
    const Live<RateRule> &conversationRule;
    const Live<RateRule> &registerRule;     // per client address
    const Live<RateRule> &loginRule;        // per address and username
    const Live<RateRule> &loginAddressRule; // any username from one address
    const Live<RateRule> &loginAccountRule; // one username from any address
    const qint64 &tokenTtlMs;
    const Live<RateRule> &httpAddressRule; // every HTTP request, per client address
    const Live<RateRule> &httpUserRule;    // every authenticated HTTP request, per user
    const Live<RateRule> &wsOpenRule;      // new WebSockets per client address
    const Live<RateRule> &adminRule;       // moderation actions per administrator
};

// What the chat layer is built on: the layers below it. All thread-safe;
// the daemon owns them and they outlive every use case.
struct ChatDeps
{
    DbPool &readers;
    MessageWriter &writer;
    Hub &hub;
    SessionCache &sessions;
    RateGate &rates;
    PasswordHasher &hasher;
    MembershipCache &members;
    RecentMessages &recent;
    DirectoryCache &directory;
    UserCache &users;
    Authenticator &auth;
    BatchedLookup<qint64> &hellos; // newest message id per user, for hello
    ChatSettings settings;
    Counter &messagesReceived;
    Counter &rateLimited;
    RateLimiter &limiter;       // this instance's own buckets (WebSocket opens)
    DeliveryService &delivery;  // the bridge's state and the other instances
    const Gauge &wsConnections; // WebSockets open here
    QString instanceId;
    // This instance for the console: {"id", "version", "started_at", ...}.
    std::function<QByteArray()> instanceSummary;
    // Where moderators hear of reports and moderation at once (null: nowhere).
    AdminEvents *adminEvents = nullptr;
    // This instance's last hour of stats (metrics/stats_history.h).
    const StatsHistory *stats = nullptr;
    // The job queues for the console (null: none listed, dead letters 404).
    jobs::JobAdmin *jobAdmin = nullptr;
};

} // namespace chat
} // namespace sanayicin
