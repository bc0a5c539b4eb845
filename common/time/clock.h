#pragma once

#include <QtGlobal>
#include <chrono>

namespace sanayicin {

// Milliseconds since the Unix epoch, from the wall clock: stored times.
inline qint64 nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// Nanoseconds of the monotonic clock: durations and latencies.
inline qint64 steadyNs()
{
    using namespace std::chrono;
    return duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
}

} // namespace sanayicin
