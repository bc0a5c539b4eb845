#pragma once

#include "rate_limiter.h"

#include <QObject>
#include <functional>

namespace sanayicin {

class SharedState;

// Where rate limits are decided: this instance's buckets when it runs alone,
// the buckets all instances share in Redis when it has a bridge (and its own
// again while Redis is unreachable).
class RateGate
{
public:
    using Done = std::function<void(RateDecision)>;

    explicit RateGate(RateLimiter &local) : m_local(local) {}

    void setShared(SharedState *shared, std::function<bool()> up)
    {
        m_shared = shared;
        m_sharedUp = std::move(up);
    }

    // `done` runs on `home`'s thread if `home` still lives then: right away
    // when decided locally, else through that thread's mailbox (one reply,
    // guarded there). Called from another thread than `home`'s, the call is
    // queued to `home`'s thread first (common/threading/reply_to.h).
    void take(QObject *home, const QByteArray &key, const RateRule &rule, Done done);

private:
    RateLimiter &m_local;
    SharedState *m_shared = nullptr;
    std::function<bool()> m_sharedUp;
};

} // namespace sanayicin
