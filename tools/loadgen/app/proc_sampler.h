#pragma once

#include <cstdint>
#include <sys/types.h>

namespace sanayicin::loadgen {

// Samples a process through /proc/PID/stat (CPU time) and /proc/PID/status
// (VmRSS), about once a second, over a window (the run, or one step): the
// server's cost per message and per connection, and the generator's own CPU
// (to tell "the server is the limit" from "the generator is").
class ProcSampler
{
public:
    explicit ProcSampler(pid_t pid) : m_pid(pid) {}

    bool valid() const { return m_pid > 0 && m_ok; }
    // Reads /proc now; returns false when the process is gone.
    bool sample(int64_t nowNs);
    void beginWindow(int64_t nowNs);

    struct Summary
    {
        bool ok = false;
        double cpuAvgPercent = 0; // of one core, over the window
        double cpuMaxPercent = 0; // the highest one-sample interval
        uint64_t rssKibStart = 0;
        uint64_t rssKibMax = 0;
        uint64_t rssKibEnd = 0;
    };
    Summary window() const;

private:
    bool read(uint64_t &cpuTicks, uint64_t &rssKib) const;

    pid_t m_pid;
    bool m_ok = true;
    long m_ticksPerSec = 100;
    int64_t m_windowStartNs = 0;
    uint64_t m_windowStartTicks = 0;
    int64_t m_lastNs = 0;
    uint64_t m_lastTicks = 0;
    double m_cpuMax = 0;
    uint64_t m_rssStart = 0, m_rssMax = 0, m_rssEnd = 0;
    bool m_started = false;
};

} // namespace sanayicin::loadgen
