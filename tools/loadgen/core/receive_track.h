#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace sanayicin::loadgen {

// What one connection has received, per conversation: a bitmap of seqs (seq
// numbers a conversation's messages 1, 2, 3, ... without gaps, so a bitmap is
// dense) and the highest seq so far. It tells a duplicate (a seq seen before:
// the same message twice) from an order violation (a new seq below the
// highest: guarantee 4 of docs/protocol.md broken), and answers "did this connection
// get message (conversation, seq)?" for the never-delivered check.
class ReceiveTrack
{
public:
    enum class Outcome { New, Duplicate, OutOfOrder };

    Outcome record(int64_t conversationId, int64_t seq);
    bool has(int64_t conversationId, int64_t seq) const;
    int64_t highestSeq(int64_t conversationId) const;
    uint64_t received() const { return m_received; }

private:
    struct Conversation
    {
        int64_t id = 0;
        int64_t base = 0;   // seq of bit 0 of bits[0]; a multiple of 64
        int64_t highest = 0;
        std::vector<uint64_t> bits;
    };
    Conversation *find(int64_t id);
    const Conversation *find(int64_t id) const;

    // A connection is in one conversation, or a handful: a small vector
    // searched linearly beats a hash map here.
    std::vector<Conversation> m_conversations;
    uint64_t m_received = 0;
};

} // namespace sanayicin::loadgen
