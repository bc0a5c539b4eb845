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

// Milliseconds of the monotonic clock: timeouts and waits inside one
// process (keep-alives, holds, retries). A step of the wall clock (NTP, an
// operator) does not move it; nowMs() must not be used for these.
inline qint64 steadyMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

// Nanoseconds of the monotonic clock: durations and latencies.
inline qint64 steadyNs()
{
    using namespace std::chrono;
    return duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
}

} // namespace sanayicin
