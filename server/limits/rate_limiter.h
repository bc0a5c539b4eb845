#pragma once

#include "rate/rate_rule.h"

#include <QByteArray>
#include <QHash>
#include <QMutex>
#include <array>

namespace sanayicin {

// In-process token buckets keyed by strings such as "send:42". Thread-safe,
// sharded so that network threads rarely wait on each other. Buckets that
// have refilled completely are forgotten.
class RateLimiter
{
public:
    RateDecision take(const QByteArray &key, const RateRule &rule, qint64 nowNs);
    qsizetype size() const;

private:
    struct Bucket
    {
        double tokens = 0;
        qint64 updatedNs = 0;
        double ratePerSecond = 1;
        double burst = 1;
    };
    struct Shard
    {
        mutable QMutex mutex;
        QHash<QByteArray, Bucket> buckets;
        qint64 lastSweepNs = 0;
    };
    static constexpr size_t kShards = 16;
    std::array<Shard, kShards> m_shards;
};

} // namespace sanayicin
