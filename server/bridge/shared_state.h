#pragma once

#include "rate/rate_rule.h"

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
// the instances' summaries. Lives on the delivery thread next to the bridge;
// its entry points are thread-safe and answer on the caller's thread.
//
// Sessions are deliberately not here: whoever can write Redis could forge an
// entry (any user, any role), so identity comes from the database only (each
// instance keeps its own in-process cache). See docs/architecture.md.
class SharedState : public QObject
{
    Q_OBJECT
public:
    using RateDone = std::function<void(RateDecision)>;
    // Decides on this instance's own buckets while Redis does not answer
    // (given by the layer that owns them: the bridge knows no limiter).
    using Fallback = std::function<RateDecision(const QByteArray &key, const RateRule &rule)>;

    SharedState(Bridge &bridge, Fallback fallback, QObject *parent = nullptr);

    // `home` is a long-lived object of the caller's thread (its gateway or
    // HTTP server): the answer is posted there.
    void takeToken(QObject *home, const QByteArray &key, const RateRule &rule, RateDone done);
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
    Fallback m_fallback;
    std::mutex m_mutex;
    std::vector<RateRequest> m_rates;
    bool m_flushScheduled = false;
};

} // namespace sanayicin
