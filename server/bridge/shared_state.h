#pragma once

#include "rate/rate_rule.h"
#include "redis_url.h"
#include "threading/reply_to.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QThread>
#include <atomic>
#include <functional>
#include <mutex>
#include <vector>

namespace sanayicin {

class RedisConnection;
class RedisScripts;

// What the instances share in Redis besides pub/sub and the caches of the
// delivery path: rate-limit buckets and the instances' summaries. These are
// asked for by requests, so they have a Redis connection and a thread of
// their own ("redis-limits"): a slow or stuck rate-limit script, or a late
// reply that drops the connection, never holds up the bridge's publishing
// and fan-out on the delivery thread. Entry points are thread-safe and
// answer on the caller's thread.
//
// Sessions are deliberately not here: whoever can write Redis could forge an
// entry (any user, any role), so identity comes from the database only (each
// instance keeps its own in-process cache). See docs/architecture.md.
class SharedState
{
public:
    using RateDone = std::function<void(RateDecision)>;
    // Decides on this instance's own buckets while Redis does not answer
    // (given by the layer that owns them: the bridge knows no limiter).
    using Fallback = std::function<RateDecision(const QByteArray &key, const RateRule &rule)>;

    SharedState(RedisUrl url, Fallback fallback);
    ~SharedState(); // stops the thread; unanswered requests get no answer

    void start();
    // The connection is up: buckets are shared (else this instance's own).
    bool isUp() const { return m_up.load(std::memory_order_relaxed); }

    // `reply` was taken on the asking thread (RateGate does).
    void takeToken(ReplyTo reply, const QByteArray &key, const RateRule &rule, RateDone done);
    // How long an instance's heartbeat keeps it alive (heartbeat.lua).
    static constexpr int kInstanceTtlSeconds = 15;
    struct InstanceLine
    {
        QByteArray summary; // a JSON object
        qint64 ageMs = 0;   // since its heartbeat wrote it
    };
    // The summaries every live instance published with its heartbeat; `done`
    // runs on `home`'s thread if `home` still lives then (from another
    // thread the call is queued to `home`'s first).
    void instances(QObject *home, std::function<void(QList<InstanceLine>)> done);

private:
    struct RateRequest
    {
        ReplyTo reply;
        QByteArray key;
        RateRule rule;
        RateDone done;
    };
    void flushRates(); // on the thread

    RedisUrl m_url;
    Fallback m_fallback;
    QThread m_thread;
    QObject *m_home = nullptr; // lives on m_thread: where work is posted
    RedisConnection *m_connection = nullptr; // on m_thread
    RedisScripts *m_scripts = nullptr;       // on m_thread
    std::atomic<bool> m_up{false};
    std::mutex m_mutex;
    std::vector<RateRequest> m_rates;
    bool m_flushScheduled = false;
};

} // namespace sanayicin
