#include "sequencer.h"

#include <algorithm>

namespace sanayicin {

void Sequencer::learnExisting(qint64 below, qint64 nowMs)
{
    // Nothing is missing below watermark + 1.
    if (below <= std::max(m_knownBelow, m_watermark + 1))
        return;
    m_knownBelow = below;
    // One entry per 10 ms at most (the bound of the last one rises), so a
    // hole that stays open costs at most 100 entries a second; it may then
    // be read up to 10 ms early.
    if (!m_knownSince.empty() && nowMs - m_knownSince.back().second < 10)
        m_knownSince.back().first = below;
    else
        m_knownSince.emplace_back(below, nowMs);
}

void Sequencer::markSeen(qint64 id, qint64 nowMs)
{
    m_maxSeen = std::max(m_maxSeen, id);
    if (id == m_watermark + 1) {
        ++m_watermark;
        while (!m_above.empty() && *m_above.begin() == m_watermark + 1) {
            ++m_watermark;
            m_above.erase(m_above.begin());
        }
        // Bounds that no longer reach past the first missing id say nothing.
        while (!m_knownSince.empty() && m_knownSince.front().first <= m_watermark + 1)
            m_knownSince.pop_front();
    } else if (id > m_watermark) {
        m_above.insert(id);
        learnExisting(id, nowMs); // everything below a seen id is committed
    }
}

void Sequencer::committed(qint64 counter, qint64 nowMs)
{
    learnExisting(counter + 1, nowMs);
}

void Sequencer::flushReady(std::vector<Ptr> &out)
{
    while (!m_ready.empty() && m_ready.begin()->first <= m_watermark) {
        out.push_back(std::move(m_ready.begin()->second));
        m_ready.erase(m_ready.begin());
    }
}

void Sequencer::release(qint64 conversationId, Conversation &c)
{
    if (c.lastSeq < 0) {
        // Unknown: its first queued message may go once nothing below its id
        // is missing; anything of this conversation before it has then
        // arrived and sits ahead of it in the queue.
        if (c.pending.empty())
            return;
        const Ptr &first = c.pending.begin()->second.message;
        if (m_watermark < first->message.id - 1)
            return;
        c.lastSeq = first->message.seq - 1;
        m_unknownWaiting.erase(conversationId);
    }
    bool released = false;
    while (!c.pending.empty() && c.pending.begin()->first <= c.lastSeq + 1) {
        auto it = c.pending.begin();
        if (it->first == c.lastSeq + 1) {
            m_ready.emplace(it->second.message->message.id, it->second.message);
            c.lastSeq = it->first;
        }
        c.pending.erase(it);
        released = true;
    }
    if (c.pending.empty()) {
        c.waitingSinceMs = -1;
    } else if (released) {
        // The next gap has been known since the oldest message behind it came.
        qint64 oldest = c.pending.begin()->second.arrivedMs;
        for (const auto &[seq, q] : c.pending)
            oldest = std::min(oldest, q.arrivedMs);
        c.waitingSinceMs = oldest;
    }
}

bool Sequencer::arrive(const Ptr &message, qint64 nowMs, std::vector<Ptr> &out)
{
    const Message &m = message->message;
    if (seen(m.id))
        return false;
    const qint64 oldWatermark = m_watermark;
    if (!m_passedOver.erase(m.id)) // one passed over goes now, behind larger ids
        markSeen(m.id, nowMs);

    Conversation &c = m_conversations[m.conversationId];
    c.touchedMs = nowMs;
    if (c.lastSeq >= 0 && m.seq <= c.lastSeq) {
        if (m_watermark != oldWatermark)
            watermarkRose(out); // its id may have been the one the others waited for
        return false; // delivered already (a fill got there first)
    }
    if (c.pending.empty())
        c.waitingSinceMs = nowMs; // a queue that already waits keeps its older start
    c.pending.emplace(m.seq, Queued{message, nowMs});
    if (c.lastSeq < 0)
        m_unknownWaiting.insert(m.conversationId);
    release(m.conversationId, c);
    if (c.pending.empty())
        m_unknownWaiting.erase(m.conversationId);

    if (m_watermark != oldWatermark)
        watermarkRose(out);
    else
        flushReady(out);
    return true;
}

void Sequencer::watermarkRose(std::vector<Ptr> &out)
{
    // A higher watermark may free unknown conversations waiting for it.
    if (!m_unknownWaiting.empty()) {
        const std::vector<qint64> waiting(m_unknownWaiting.begin(), m_unknownWaiting.end());
        for (qint64 id : waiting)
            release(id, m_conversations[id]);
    }
    flushReady(out);
}

std::vector<Sequencer::Fill> Sequencer::overdue(qint64 nowMs, qint64 waitMs)
{
    std::vector<Fill> out;
    for (auto it = m_conversations.begin(); it != m_conversations.end(); ++it) {
        Conversation &c = it.value();
        if (c.pending.empty() || c.waitingSinceMs < 0 || nowMs - c.waitingSinceMs < waitMs
            || m_filling.count(it.key()))
            continue;
        const Ptr &first = c.pending.begin()->second.message;
        const Ptr &last = c.pending.rbegin()->second.message;
        Fill f;
        f.conversationId = it.key();
        f.userA = first->userA;
        f.userB = first->userB;
        if (c.lastSeq >= 0) {
            f.afterSeq = c.lastSeq;
            f.beforeSeq = last->message.seq;
        } else {
            f.afterId = m_watermark;
            f.beforeId = last->message.id;
        }
        m_filling.emplace(it.key(), nowMs);
        out.push_back(f);
    }
    return out;
}

std::optional<std::pair<qint64, qint64>> Sequencer::overdueHole(qint64 nowMs, qint64 waitMs)
{
    if (m_holeFilling || m_knownSince.empty() || nowMs < m_holeRetryAtMs
        || nowMs - m_knownSince.front().second < waitMs)
        return std::nullopt;
    // The last bound learnt at least waitMs ago: every id missing below it
    // has been missing that long.
    const auto newer = std::partition_point(m_knownSince.begin(), m_knownSince.end(),
                                            [&](const auto &e) { return nowMs - e.second >= waitMs; });
    m_holeFilling = true;
    m_holeAsked = {m_watermark, std::prev(newer)->first};
    return m_holeAsked;
}

qint64 Sequencer::holeFillDone(bool ok, qint64 completeBelow, qint64 nowMs, qint64 waitMs, std::vector<Ptr> &out)
{
    m_holeFilling = false;
    m_holeRetryAtMs = ok ? 0 : nowMs + waitMs;
    if (!ok)
        return 0;
    const qint64 before = m_watermark;
    const qint64 end = std::min(completeBelow, m_holeAsked.second);
    qint64 passed = 0;
    for (qint64 id = std::max(m_holeAsked.first, m_watermark) + 1; id < end; ++id) {
        if (id <= m_watermark || m_above.count(id))
            continue;
        markSeen(id, nowMs);
        m_passedOver.insert(id);
        ++passed;
    }
    while (m_passedOver.size() > 10000)
        m_passedOver.erase(m_passedOver.begin());
    if (m_watermark != before)
        watermarkRose(out);
    return passed;
}

void Sequencer::fillDone(qint64 conversationId, bool complete, qint64 nowMs, std::vector<Ptr> &out)
{
    const auto filling = m_filling.find(conversationId);
    const qint64 askedMs = filling == m_filling.end() ? nowMs : filling->second;
    if (filling != m_filling.end())
        m_filling.erase(filling);
    auto it = m_conversations.find(conversationId);
    if (it == m_conversations.end() || it->pending.empty())
        return;
    if (complete && it->lastSeq < 0) {
        it->lastSeq = it->pending.begin()->first - 1;
        m_unknownWaiting.erase(conversationId);
    }
    release(conversationId, *it);
    flushReady(out);
    // A gap the read should have closed and did not (a failed read) is asked
    // again after a full wait; gaps that showed during the read keep theirs.
    if (!it->pending.empty() && (!complete || it->waitingSinceMs <= askedMs))
        it->waitingSinceMs = nowMs;
}

size_t Sequencer::waiting() const
{
    size_t n = m_ready.size();
    for (const Conversation &c : m_conversations)
        n += c.pending.size();
    return n;
}

void Sequencer::prune(qint64 nowMs, qint64 idleMs)
{
    for (auto it = m_conversations.begin(); it != m_conversations.end();) {
        if (it->pending.empty() && nowMs - it->touchedMs > idleMs)
            it = m_conversations.erase(it);
        else
            ++it;
    }
}

} // namespace sanayicin
