#include "sequencer.h"

namespace sanayicin {

void Sequencer::markSeen(qint64 id, qint64 nowMs)
{
    m_maxSeen = std::max(m_maxSeen, id);
    if (id == m_watermark + 1) {
        ++m_watermark;
        while (!m_above.empty() && *m_above.begin() == m_watermark + 1) {
            ++m_watermark;
            m_above.erase(m_above.begin());
        }
    } else if (id > m_watermark) {
        m_above.insert(id);
    }
    if (m_above.empty())
        m_holeSinceMs = -1;
    else if (m_holeSinceMs < 0)
        m_holeSinceMs = nowMs;
}

void Sequencer::release(qint64 conversationId, Conversation &c, std::vector<Ptr> &out)
{
    if (c.lastSeq < 0) {
        // Unknown: its first queued message may go once nothing below its id
        // is missing; anything of this conversation before it has then
        // arrived and sits ahead of it in the queue.
        if (c.pending.empty())
            return;
        const Ptr &first = c.pending.begin()->second;
        if (m_watermark < first->message.id - 1)
            return;
        c.lastSeq = first->message.seq - 1;
        m_unknownWaiting.erase(conversationId);
    }
    while (!c.pending.empty() && c.pending.begin()->first <= c.lastSeq + 1) {
        auto it = c.pending.begin();
        if (it->first == c.lastSeq + 1) {
            out.push_back(it->second);
            c.lastSeq = it->first;
        }
        c.pending.erase(it);
    }
    c.waitingSinceMs = -1;
}

void Sequencer::arrive(const Ptr &message, qint64 nowMs, std::vector<Ptr> &out)
{
    const Message &m = message->message;
    if (seen(m.id))
        return;
    const qint64 oldWatermark = m_watermark;
    markSeen(m.id, nowMs);

    Conversation &c = m_conversations[m.conversationId];
    c.touchedMs = nowMs;
    if (c.lastSeq >= 0 && m.seq <= c.lastSeq)
        return; // delivered already (a fill got there first)
    const bool wasEmpty = c.pending.empty();
    c.pending.emplace(m.seq, message);
    if (c.lastSeq < 0)
        m_unknownWaiting.insert(m.conversationId);
    release(m.conversationId, c, out);
    if (!c.pending.empty() && (wasEmpty || c.waitingSinceMs < 0))
        c.waitingSinceMs = nowMs;
    if (c.pending.empty())
        m_unknownWaiting.erase(m.conversationId);

    // A higher watermark may free unknown conversations waiting for it.
    if (m_watermark != oldWatermark && !m_unknownWaiting.empty()) {
        const std::vector<qint64> waiting(m_unknownWaiting.begin(), m_unknownWaiting.end());
        for (qint64 id : waiting) {
            Conversation &w = m_conversations[id];
            release(id, w, out);
            if (!w.pending.empty() && w.waitingSinceMs < 0)
                w.waitingSinceMs = nowMs;
        }
    }
}

std::vector<Sequencer::Fill> Sequencer::overdue(qint64 nowMs, qint64 waitMs)
{
    std::vector<Fill> out;
    for (auto it = m_conversations.begin(); it != m_conversations.end(); ++it) {
        Conversation &c = it.value();
        if (c.pending.empty() || c.waitingSinceMs < 0 || nowMs - c.waitingSinceMs < waitMs
            || m_filling.count(it.key()))
            continue;
        const Ptr &first = c.pending.begin()->second;
        Fill f;
        f.conversationId = it.key();
        f.userA = first->userA;
        f.userB = first->userB;
        if (c.lastSeq >= 0) {
            f.afterSeq = c.lastSeq;
            f.beforeSeq = c.pending.begin()->first;
        } else {
            f.afterId = m_watermark;
            f.beforeId = first->message.id;
        }
        m_filling.insert(it.key());
        out.push_back(f);
    }
    return out;
}

std::optional<std::pair<qint64, qint64>> Sequencer::overdueHole(qint64 nowMs, qint64 waitMs)
{
    if (m_above.empty() || m_holeFilling || m_holeSinceMs < 0 || nowMs - m_holeSinceMs < waitMs)
        return std::nullopt;
    m_holeFilling = true;
    return std::make_pair(m_watermark, *m_above.begin());
}

void Sequencer::fillDone(qint64 conversationId, bool complete, qint64 nowMs, std::vector<Ptr> &out)
{
    m_filling.erase(conversationId);
    auto it = m_conversations.find(conversationId);
    if (it == m_conversations.end() || it->pending.empty())
        return;
    if (complete && it->lastSeq < 0) {
        it->lastSeq = it->pending.begin()->first - 1;
        m_unknownWaiting.erase(conversationId);
    }
    release(conversationId, *it, out);
    // What still waits waits afresh (a failed fill asks again later).
    if (!it->pending.empty())
        it->waitingSinceMs = nowMs;
}

size_t Sequencer::waiting() const
{
    size_t n = 0;
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
