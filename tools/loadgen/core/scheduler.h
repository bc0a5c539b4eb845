#pragma once

#include <cstdint>

namespace sanayicin::loadgen {

// The open-loop send schedule of one worker: message i is due at
// start + i / rate, whatever happened to the messages before it. A latency is
// measured from the due time, so a generator (or server) that falls behind
// shows up as latency instead of silently sending less (coordinated omission).
// Due times are computed from the index, never accumulated, so they do not
// drift over millions of messages.
class OpenLoopSchedule
{
public:
    // Messages due in [startNs, endNs) at `ratePerSec`; rate <= 0 plans none.
    void start(int64_t startNs, double ratePerSec, int64_t endNs);
    void stop() { m_endNs = m_startNs; m_next = 0; m_planned = 0; }

    // The due time of the next message not yet taken; INT64_MAX when none is left.
    int64_t nextDueNs() const;
    // Takes the next message if it is due at `nowNs`; its due time in `dueNs`.
    bool popDue(int64_t nowNs, int64_t &dueNs);

    uint64_t taken() const { return m_next; }
    uint64_t planned() const { return m_planned; }
    double rate() const { return m_rate; }

    // Messages due in [startNs, endNs) at `ratePerSec`: ceil(duration * rate).
    static uint64_t plannedCount(int64_t startNs, double ratePerSec, int64_t endNs);

private:
    int64_t dueOf(uint64_t index) const;

    int64_t m_startNs = 0;
    int64_t m_endNs = 0;
    double m_rate = 0;
    uint64_t m_next = 0;
    uint64_t m_planned = 0;
};

} // namespace sanayicin::loadgen
