#include "scheduler.h"

#include <cmath>

namespace sanayicin::loadgen {

uint64_t OpenLoopSchedule::plannedCount(int64_t startNs, double ratePerSec, int64_t endNs)
{
    if (ratePerSec <= 0 || endNs <= startNs)
        return 0;
    // Index i is due at start + i*1e9/rate; count the i with that < end.
    const long double exact = (long double)(endNs - startNs) * ratePerSec / 1e9L;
    auto n = uint64_t(std::ceil(exact));
    // Guard the edge where rounding puts the last one exactly on `end`.
    while (n > 0) {
        const auto due = int64_t((long double)(n - 1) * 1e9L / ratePerSec);
        if (startNs + due < endNs)
            break;
        --n;
    }
    return n;
}

void OpenLoopSchedule::start(int64_t startNs, double ratePerSec, int64_t endNs)
{
    m_startNs = startNs;
    m_endNs = endNs;
    m_rate = ratePerSec;
    m_next = 0;
    m_planned = plannedCount(startNs, ratePerSec, endNs);
}

int64_t OpenLoopSchedule::dueOf(uint64_t index) const
{
    return m_startNs + int64_t((long double)index * 1e9L / m_rate);
}

int64_t OpenLoopSchedule::nextDueNs() const
{
    if (m_next >= m_planned)
        return INT64_MAX;
    return dueOf(m_next);
}

bool OpenLoopSchedule::popDue(int64_t nowNs, int64_t &dueNs)
{
    if (m_next >= m_planned)
        return false;
    const int64_t due = dueOf(m_next);
    if (due > nowNs)
        return false;
    dueNs = due;
    ++m_next;
    return true;
}

} // namespace sanayicin::loadgen
