#include "sequencer.h"

namespace sanayicin {

Sequencer::Plan Sequencer::plan(const Item &item) const
{
    Plan p;
    if (seen(item.id))
        return p;
    auto it = m_lastSeq.constFind(item.conversationId);
    if (it != m_lastSeq.constEnd()) {
        if (item.seq <= it->lastSeq)
            return p; // delivered already by another path
        p.deliver = true;
        if (item.seq > it->lastSeq + 1) {
            p.fill = true;
            p.fillAfterSeq = it->lastSeq;
            p.fillAfterId = 0;
        }
        return p;
    }
    // Unknown conversation: earlier messages of it can only be missing if
    // some id between the watermark and this one has not been seen.
    p.deliver = true;
    if (item.id > m_watermark + 1 && item.seq > 1) {
        // Ids in (watermark, item.id) that are not in m_above are unseen.
        const auto below = std::distance(m_above.begin(), m_above.lower_bound(item.id));
        if (qint64(below) != item.id - m_watermark - 1) {
            p.fill = true;
            p.fillAfterSeq = 0;
            p.fillAfterId = m_watermark;
        }
    }
    return p;
}

void Sequencer::delivered(const Item &item, qint64 nowMs)
{
    markSeen(item.id);
    State &s = m_lastSeq[item.conversationId];
    if (item.seq > s.lastSeq)
        s.lastSeq = item.seq;
    s.touchedMs = nowMs;
}

void Sequencer::markSeen(qint64 id)
{
    if (id <= m_watermark)
        return;
    if (id == m_watermark + 1) {
        ++m_watermark;
        while (!m_above.empty() && *m_above.begin() == m_watermark + 1) {
            ++m_watermark;
            m_above.erase(m_above.begin());
        }
        return;
    }
    m_above.insert(id);
}

void Sequencer::prune(qint64 nowMs, qint64 idleMs)
{
    for (auto it = m_lastSeq.begin(); it != m_lastSeq.end();) {
        if (nowMs - it->touchedMs > idleMs)
            it = m_lastSeq.erase(it);
        else
            ++it;
    }
}

} // namespace sanayicin
