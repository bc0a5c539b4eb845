#pragma once

#include "protocol/delivered_message.h"

#include <QHash>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

namespace sanayicin {

// Puts messages arriving in any order, from any source (this instance's
// writer, other instances through Redis, the database), back into order per
// conversation, and says what is worth reading from the database.
//
// It relies on two facts of the writer: ids are handed out without gaps
// across all conversations, and a message is committed only after every
// smaller id (the counter lock). So the ids seen so far say exactly what may
// still be on its way: the watermark is the largest id below which
// everything has been seen.
//
// A message that would skip ahead in its conversation waits in that
// conversation's queue for the ones before it (usually already in flight on
// another path: a reorder buffer, not a database read). What its
// conversation lets go then waits until every smaller id has been seen, of
// any conversation: messages leave in id order, so a connection never gets
// an id below one it already has. (A client's sync cursor is the highest id
// it has seen; had 9 of one conversation come after 10 of another, a client
// whose connection dropped between the two would sync from 10 and never
// get 9.) Only what stays
// missing for longer than a grace period is asked for (overdue()), and the
// answers come back through arrive() like any other message. A gap's wait
// starts when the gap first showed (the oldest arrival still queued behind
// it); later arrivals never restart it, so a busy conversation is repaired
// as fast as a quiet one.
class Sequencer
{
public:
    using Ptr = std::shared_ptr<const DeliveredMessage>;

    explicit Sequencer(qint64 watermark = 0)
        : m_watermark(watermark), m_maxSeen(watermark), m_knownBelow(watermark + 1)
    {}

    // Takes one arrival; appends to `out` whatever can now be delivered, in
    // order. Repeats are dropped: false.
    bool arrive(const Ptr &message, qint64 nowMs, std::vector<Ptr> &out);

    // The committed counter (the largest id handed out) as read from the
    // database: every id up to it exists, so those not seen count as missing
    // from now on (a tail lost with nothing after it).
    void committed(qint64 counter, qint64 nowMs);

    // What to read from the database for queues whose gap has been missing
    // for `waitMs`: messages of `conversationId` with afterSeq < seq < beforeSeq
    // (a known conversation) or with afterId < id < beforeId (one seen for
    // the first time since its state was forgotten). The range reaches the
    // last queued message, so one read closes every gap of the queue.
    struct Fill
    {
        qint64 conversationId = 0;
        qint64 afterSeq = -1; // -1: by id
        qint64 beforeSeq = 0;
        qint64 afterId = 0;
        qint64 beforeId = 0;
        qint64 userA = 0;
        qint64 userB = 0;
    };
    std::vector<Fill> overdue(qint64 nowMs, qint64 waitMs);
    // Ids known to exist (below a seen id or up to the committed counter)
    // and missing for `waitMs`: a lost publish that no later message of its
    // conversation shows. Every such id lies in (first, second); one range
    // for all of them, so that a burst of losses is one read.
    std::optional<std::pair<qint64, qint64>> overdueHole(qint64 nowMs, qint64 waitMs);
    // The hole read came back (its messages went through arrive() first). A
    // failed read is asked again after another `waitMs`. A read returns
    // every message left in its range up to `completeBelow` (the range's
    // end, or the last id returned when it was cut at its row limit): an id
    // below that still not seen was deleted (retention) and is passed over,
    // so that what waits behind it in id order can go (into `out`). Should
    // it come after all (a read that could not see it yet), it still goes.
    // Returns how many were passed over.
    qint64 holeFillDone(bool ok, qint64 completeBelow, qint64 nowMs, qint64 waitMs, std::vector<Ptr> &out);
    // A fill came back (its messages went through arrive() first): the
    // conversation may ask again, and an unknown one now has everything
    // before its queue, so the queue may go.
    void fillDone(qint64 conversationId, bool complete, qint64 nowMs, std::vector<Ptr> &out);

    qint64 watermark() const { return m_watermark; }
    qint64 maxSeen() const { return m_maxSeen; }
    size_t waiting() const; // messages held in queues, or for a smaller id
    // Forgets conversations idle for `idleMs`; they are re-learnt safely.
    void prune(qint64 nowMs, qint64 idleMs);

private:
    struct Queued
    {
        Ptr message;
        qint64 arrivedMs = 0;
    };
    struct Conversation
    {
        qint64 lastSeq = -1; // -1: unknown
        std::map<qint64, Queued> pending; // by seq
        // The oldest arrival in `pending`: the gap before the queue has been
        // known since then (-1: nothing waits).
        qint64 waitingSinceMs = -1;
        qint64 touchedMs = 0;
    };

    bool seen(qint64 id) const
    {
        return (id <= m_watermark || m_above.count(id) != 0) && m_passedOver.count(id) == 0;
    }
    void markSeen(qint64 id, qint64 nowMs);
    void learnExisting(qint64 below, qint64 nowMs);
    // Lets go what the conversation has in seq order, into m_ready.
    void release(qint64 conversationId, Conversation &c);
    // Out of m_ready, in id order, whatever the watermark has reached.
    void flushReady(std::vector<Ptr> &out);
    // After the watermark rose: unknown conversations it frees, then m_ready.
    void watermarkRose(std::vector<Ptr> &out);

    qint64 m_watermark;
    qint64 m_maxSeen;
    std::set<qint64> m_above; // seen, above the watermark
    // Every id below m_knownBelow exists. m_knownSince holds (bound, when it
    // was learnt), both rising: an id missing below `bound` has been missing
    // since `when` (or up to 10 ms less). Entries that say nothing above the
    // watermark are dropped.
    qint64 m_knownBelow;
    std::deque<std::pair<qint64, qint64>> m_knownSince;
    QHash<qint64, Conversation> m_conversations;
    std::map<qint64, Ptr> m_ready;               // in order in their conversation, by id: waiting for a smaller one
    std::set<qint64> m_unknownWaiting;           // unknown conversations with a queue
    std::map<qint64, qint64> m_filling;          // fills under way: conversation -> asked at
    bool m_holeFilling = false;
    std::pair<qint64, qint64> m_holeAsked{0, 0}; // the range of that read
    std::set<qint64> m_passedOver; // below the watermark without having come; the oldest go beyond 10,000
    qint64 m_holeRetryAtMs = 0;
};

} // namespace sanayicin
