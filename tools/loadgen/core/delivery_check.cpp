#include "delivery_check.h"

namespace sanayicin::loadgen {

CheckResult checkDeliveries(const std::vector<AckRecord> &acks,
                            const std::unordered_map<int64_t, std::vector<uint32_t>> &receivers,
                            const std::vector<ReceiverState> &connections)
{
    CheckResult r;
    for (const AckRecord &a : acks) {
        const auto it = receivers.find(a.conversationId);
        if (it == receivers.end())
            continue;
        bool anyMissing = false;
        for (uint32_t conn : it->second) {
            if (conn == a.senderConn || conn >= connections.size())
                continue;
            const ReceiverState &s = connections[conn];
            if (!s.track || s.openedNs == 0 || s.openedNs > a.sentNs || s.closedNs != 0) {
                ++r.excludedReceivers;
                continue;
            }
            ++r.expected;
            if (!s.track->has(a.conversationId, a.seq)) {
                ++r.missing;
                anyMissing = true;
            }
        }
        if (anyMissing)
            ++r.messagesMissing;
    }
    return r;
}

} // namespace sanayicin::loadgen
