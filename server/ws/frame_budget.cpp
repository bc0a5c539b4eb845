#include "frame_budget.h"

#include <algorithm>
#include <climits>
#include <cmath>

namespace sanayicin {

FrameBudget::Verdict FrameBudget::take(qint64 nowNs, const RateRule &rule)
{
    if (m_updatedNs == 0) {
        m_tokens = rule.burst;
    } else if (nowNs > m_updatedNs) {
        m_tokens = std::min(rule.burst,
                            m_tokens + double(nowNs - m_updatedNs) * rule.ratePerSecond / 1e9);
    }
    m_updatedNs = std::max(nowNs, m_updatedNs);
    if (m_tokens >= 1) {
        m_tokens -= 1;
        m_refusedInARow = 0;
        return {};
    }
    if (m_refusedInARow < INT_MAX)
        ++m_refusedInARow;
    Verdict v;
    v.allowed = false;
    v.abusive = m_refusedInARow > rule.burst;
    v.retryAfterMs = std::max<qint64>(1, qint64(std::ceil((1 - m_tokens) / rule.ratePerSecond * 1000)));
    return v;
}

} // namespace sanayicin
