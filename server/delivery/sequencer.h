#pragma once

#include <QHash>
#include <functional>
#include <set>
#include <vector>

namespace sanayicin {

// Decides, for messages arriving in any order and from any source (this
// instance's writer, other instances through Redis, the database), which to
// pass on to the connections and what must be read from the database first,
// so that every conversation's messages go out gapless and in seq order.
//
// It relies on two facts of the writer: ids are handed out without gaps
// (1, 2, 3, ... across all conversations), and a message is committed only
// after every smaller id (the counter lock). So the ids seen so far tell
// exactly which messages may still be on their way: the "watermark" is the
// largest id below which everything has been seen.
class Sequencer
{
public:
    struct Item
    {
        qint64 id = 0;
        qint64 conversationId = 0;
        qint64 seq = 0;
    };

    // What to do with one arriving message.
    struct Plan
    {
        bool deliver = false; // false: already seen (a repeat), drop it
        // Deliver first the messages of this conversation with
        // afterSeq < seq < item.seq (and id > afterId), read from the database.
        bool fill = false;
        qint64 fillAfterSeq = 0;
        qint64 fillAfterId = 0;
    };

    explicit Sequencer(qint64 watermark = 0) : m_watermark(watermark) {}

    // Plans the delivery of `item`. Call delivered() for it (and for every
    // filled message) once it has been passed on.
    Plan plan(const Item &item) const;
    void delivered(const Item &item, qint64 nowMs);

    qint64 watermark() const { return m_watermark; }
    // The smallest id above the watermark seen so far (0: no hole).
    qint64 firstSeenAbove() const { return m_above.empty() ? 0 : *m_above.begin(); }
    bool hasHole() const { return !m_above.empty(); }
    size_t pendingAbove() const { return m_above.size(); }

    // Forgets conversations untouched for `idleMs`; they are re-learnt safely.
    void prune(qint64 nowMs, qint64 idleMs);
    qsizetype conversations() const { return m_lastSeq.size(); }

private:
    bool seen(qint64 id) const { return id <= m_watermark || m_above.count(id) != 0; }
    void markSeen(qint64 id);

    struct State
    {
        qint64 lastSeq = 0;
        qint64 touchedMs = 0;
    };
    qint64 m_watermark;
    std::set<qint64> m_above;
    QHash<qint64, State> m_lastSeq;
};

} // namespace sanayicin
