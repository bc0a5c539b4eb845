#pragma once

#include "auth/session_cache.h"
#include "limits/rate_limiter.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

namespace sanayicin {

class Bridge;

// What the instances share in Redis besides pub/sub: rate-limit buckets and
// the session cache. Lives on the delivery thread next to the bridge; its
// entry points are thread-safe and answer on the caller's thread.
class SharedState : public QObject
{
    Q_OBJECT
public:
    using RateDone = std::function<void(RateDecision)>;
    using SessionDone = std::function<void(std::optional<AuthUser> cached, qint64 epoch)>;

    SharedState(Bridge &bridge, RateLimiter &fallback, QObject *parent = nullptr);

    // `home` is a long-lived object of the caller's thread (its gateway or
    // HTTP server): the answer is posted there.
    void takeToken(QObject *home, const QByteArray &key, const RateRule &rule, RateDone done);
    void lookupSession(QObject *home, const QByteArray &tokenHash, SessionDone done);
    // Caches what the database said, unless a revocation happened since
    // `epoch` (the one lookupSession returned).
    void storeSession(const AuthUser &auth, qint64 epoch);
    // The summaries every live instance published with its heartbeat.
    void instances(QObject *home, std::function<void(QList<QByteArray>)> done);

private:
    struct RateRequest
    {
        QPointer<QObject> home;
        QByteArray key;
        RateRule rule;
        RateDone done;
    };
    void flushRates();

    Bridge &m_bridge;
    RateLimiter &m_fallback;
    std::mutex m_mutex;
    std::vector<RateRequest> m_rates;
    bool m_flushScheduled = false;
};

// The session as the Redis cache stores it.
QByteArray encodeSession(const AuthUser &auth);
std::optional<AuthUser> decodeSession(const QByteArray &data, const QByteArray &tokenHash);

} // namespace sanayicin
