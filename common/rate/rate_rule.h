#pragma once

#include <QtGlobal>

namespace sanayicin {

// A token bucket: `ratePerSecond` tokens a second, at most `burst` saved up.
// In common/ because both kinds of buckets speak it: this instance's own
// (server/limits) and the ones the instances share in Redis (server/bridge).
struct RateRule
{
    double ratePerSecond = 1;
    double burst = 1;
    bool operator==(const RateRule &) const = default;
};

struct RateDecision
{
    bool allowed = true;
    qint64 retryAfterMs = 0; // when refused: until one token is back
};

} // namespace sanayicin
