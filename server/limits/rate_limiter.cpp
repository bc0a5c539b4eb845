#include "rate_limiter.h"

#include <cmath>

namespace sanayicin {

RateDecision RateLimiter::take(const QByteArray &key, const RateRule &rule, qint64 nowNs)
{
    Shard &shard = m_shards[qHash(key) % kShards];
    QMutexLocker lock(&shard.mutex);

    if (nowNs - shard.lastSweepNs > 10'000'000'000LL) {
        shard.lastSweepNs = nowNs;
        for (auto it = shard.buckets.begin(); it != shard.buckets.end();) {
            const double refilled =
                it->tokens + double(nowNs - it->updatedNs) / 1e9 * it->ratePerSecond;
            it = refilled >= it->burst ? shard.buckets.erase(it) : std::next(it);
        }
    }

    auto it = shard.buckets.find(key);
    if (it == shard.buckets.end())
        it = shard.buckets.insert(key, Bucket{rule.burst, nowNs, rule.ratePerSecond, rule.burst});
    Bucket &b = *it;
    b.ratePerSecond = rule.ratePerSecond;
    b.burst = rule.burst;
    b.tokens = std::min(b.burst, b.tokens + double(nowNs - b.updatedNs) / 1e9 * b.ratePerSecond);
    b.updatedNs = nowNs;
    if (b.tokens >= 1.0) {
        b.tokens -= 1.0;
        return {true, 0};
    }
    const double waitSeconds = (1.0 - b.tokens) / b.ratePerSecond;
    return {false, qint64(std::ceil(waitSeconds * 1000.0))};
}

qsizetype RateLimiter::size() const
{
    qsizetype n = 0;
    for (const Shard &s : m_shards) {
        QMutexLocker lock(&s.mutex);
        n += s.buckets.size();
    }
    return n;
}

} // namespace sanayicin
