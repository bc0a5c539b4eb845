#pragma once

#include "receive_track.h"

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace sanayicin::loadgen {

// One acknowledged message, as its sender saw it.
struct AckRecord
{
    int64_t conversationId = 0;
    int64_t seq = 0;
    int64_t sentNs = 0;      // when the send frame was written
    uint32_t senderConn = 0; // connection index
};

// A connection as a receiver: what it got and when it was usable.
struct ReceiverState
{
    const ReceiveTrack *track = nullptr;
    int64_t openedNs = 0; // hello received; 0: never opened
    int64_t closedNs = 0; // 0: still open at the end
};

struct CheckResult
{
    uint64_t expected = 0;          // (message, receiver) pairs that must have arrived
    uint64_t missing = 0;           // of those, never delivered
    uint64_t messagesMissing = 0;   // acked messages with at least one missing receiver
    uint64_t excludedReceivers = 0; // pairs skipped: receiver closed, or opened after the send
};

// After the grace period: every acked message must have reached every other
// connection of both participants that was open when it was sent and stayed
// open (the sender's own connection gets the ack instead). `receivers` maps a
// conversation id to the connection indices of its participants.
CheckResult checkDeliveries(const std::vector<AckRecord> &acks,
                            const std::unordered_map<int64_t, std::vector<uint32_t>> &receivers,
                            const std::vector<ReceiverState> &connections);

} // namespace sanayicin::loadgen
