#include "receive_track.h"

namespace sanayicin::loadgen {

ReceiveTrack::Conversation *ReceiveTrack::find(int64_t id)
{
    for (Conversation &c : m_conversations)
        if (c.id == id)
            return &c;
    return nullptr;
}

const ReceiveTrack::Conversation *ReceiveTrack::find(int64_t id) const
{
    for (const Conversation &c : m_conversations)
        if (c.id == id)
            return &c;
    return nullptr;
}

ReceiveTrack::Outcome ReceiveTrack::record(int64_t conversationId, int64_t seq)
{
    ++m_received;
    if (seq < 0)
        seq = 0; // not a valid seq: keep it countable rather than index with it
    Conversation *c = find(conversationId);
    if (!c) {
        Conversation fresh;
        fresh.id = conversationId;
        fresh.base = seq - seq % 64;
        m_conversations.push_back(std::move(fresh));
        c = &m_conversations.back();
    }
    if (seq < c->base) {
        // Below everything seen so far (only out of order): grow at the front.
        const int64_t newBase = seq - seq % 64;
        c->bits.insert(c->bits.begin(), size_t((c->base - newBase) / 64), 0);
        c->base = newBase;
    }
    const auto offset = uint64_t(seq - c->base);
    const size_t word = offset / 64;
    if (word >= c->bits.size())
        c->bits.resize(word + 1, 0);
    const uint64_t bit = uint64_t(1) << (offset % 64);
    if (c->bits[word] & bit)
        return Outcome::Duplicate;
    c->bits[word] |= bit;
    if (seq < c->highest)
        return Outcome::OutOfOrder;
    c->highest = seq;
    return Outcome::New;
}

bool ReceiveTrack::has(int64_t conversationId, int64_t seq) const
{
    const Conversation *c = find(conversationId);
    if (!c || seq < c->base)
        return false;
    const auto offset = uint64_t(seq - c->base);
    const size_t word = offset / 64;
    return word < c->bits.size() && (c->bits[word] >> (offset % 64)) & 1;
}

int64_t ReceiveTrack::highestSeq(int64_t conversationId) const
{
    const Conversation *c = find(conversationId);
    return c ? c->highest : 0;
}

} // namespace sanayicin::loadgen
