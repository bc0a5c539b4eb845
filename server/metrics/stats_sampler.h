#pragma once

#include "stats_history.h"

#include <functional>

namespace sanayicin {

struct ServerMetrics;

// Turns the daemon's counters into one StatsSample a second: the differences
// since the last call, so that the hot paths keep counting as they do
// (atomics) and pay nothing more. Called from one thread (a timer).
class StatsSampler
{
public:
    StatsSampler(const ServerMetrics &metrics, StatsHistory &history,
                 std::function<qint64()> writerBacklog);

    // Records what was counted since the last call as the second of `nowMs`.
    void sample(qint64 nowMs);

private:
    struct Totals
    {
        quint64 in = 0, out = 0, http = 0, http4xx = 0, http5xx = 0;
        std::array<quint64, StatsSample::kAckBuckets> ack{};
    };
    Totals read() const;

    const ServerMetrics &m_metrics;
    StatsHistory &m_history;
    std::function<qint64()> m_writerBacklog;
    Totals m_last;
};

} // namespace sanayicin
