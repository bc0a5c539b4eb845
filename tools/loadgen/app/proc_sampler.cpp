#include "proc_sampler.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unistd.h>

namespace sanayicin::loadgen {

bool ProcSampler::read(uint64_t &cpuTicks, uint64_t &rssKib) const
{
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/stat", int(m_pid));
    FILE *f = std::fopen(path, "r");
    if (!f)
        return false;
    char buf[2048];
    const size_t n = std::fread(buf, 1, sizeof buf - 1, f);
    std::fclose(f);
    buf[n] = '\0';
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const char *p = std::strrchr(buf, ')');
    if (!p)
        return false;
    ++p;
    // Fields after ')': 3 state ... 14 utime, 15 stime (1-based in proc(5)).
    unsigned long long utime = 0, stime = 0;
    int field = 2;
    const char *at = p;
    while (*at && field < 15) {
        while (*at == ' ')
            ++at;
        ++field;
        if (field == 14)
            utime = std::strtoull(at, nullptr, 10);
        else if (field == 15)
            stime = std::strtoull(at, nullptr, 10);
        while (*at && *at != ' ')
            ++at;
    }
    cpuTicks = utime + stime;

    std::snprintf(path, sizeof path, "/proc/%d/status", int(m_pid));
    f = std::fopen(path, "r");
    if (!f)
        return false;
    rssKib = 0;
    char line[256];
    while (std::fgets(line, sizeof line, f)) {
        if (std::strncmp(line, "VmRSS:", 6) == 0) {
            rssKib = std::strtoull(line + 6, nullptr, 10);
            break;
        }
    }
    std::fclose(f);
    return true;
}

void ProcSampler::beginWindow(int64_t nowNs)
{
    m_ticksPerSec = sysconf(_SC_CLK_TCK);
    if (m_ticksPerSec <= 0)
        m_ticksPerSec = 100;
    uint64_t ticks = 0, rss = 0;
    m_ok = m_pid > 0 && read(ticks, rss);
    m_windowStartNs = m_lastNs = nowNs;
    m_windowStartTicks = m_lastTicks = ticks;
    m_cpuMax = 0;
    m_rssStart = m_rssMax = m_rssEnd = rss;
    m_started = true;
}

bool ProcSampler::sample(int64_t nowNs)
{
    if (!m_started)
        beginWindow(nowNs);
    uint64_t ticks = 0, rss = 0;
    if (m_pid <= 0 || !read(ticks, rss)) {
        m_ok = false;
        return false;
    }
    const int64_t dt = nowNs - m_lastNs;
    if (dt > 200000000) { // a rate over less than 0.2 s is mostly tick rounding
        const double pct = double(ticks - m_lastTicks) / double(m_ticksPerSec) / (double(dt) / 1e9) * 100;
        if (pct > m_cpuMax)
            m_cpuMax = pct;
        m_lastNs = nowNs;
        m_lastTicks = ticks;
    }
    if (rss > m_rssMax)
        m_rssMax = rss;
    m_rssEnd = rss;
    return true;
}

ProcSampler::Summary ProcSampler::window() const
{
    Summary s;
    s.ok = m_started && m_ok;
    const double secs = double(m_lastNs - m_windowStartNs) / 1e9;
    if (secs > 0)
        s.cpuAvgPercent = double(m_lastTicks - m_windowStartTicks) / double(m_ticksPerSec) / secs * 100;
    s.cpuMaxPercent = m_cpuMax;
    s.rssKibStart = m_rssStart;
    s.rssKibMax = m_rssMax;
    s.rssKibEnd = m_rssEnd;
    return s;
}

} // namespace sanayicin::loadgen
