#pragma once

#include <cstdint>
#include <ctime>

namespace sanayicin::loadgen {

// CLOCK_MONOTONIC in nanoseconds: every due time, send time and receive time
// of one generator process is on this clock, so latencies never see NTP steps.
inline int64_t monoNs()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

constexpr int64_t kNsPerMs = 1000000;
constexpr int64_t kNsPerSec = 1000000000;

} // namespace sanayicin::loadgen
