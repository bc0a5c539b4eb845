// The reorder buffer between every source of messages and the connections:
// per conversation, messages leave gapless and in seq order, repeats never.

#include "delivery/sequencer.h"

#include <QtTest>

using namespace sanayicin;

namespace {

Sequencer::Ptr msg(qint64 id, qint64 conv, qint64 seq)
{
    Message m;
    m.id = id;
    m.conversationId = conv;
    m.seq = seq;
    return DeliveredMessage::make(m, 1, 2, 0);
}

QList<qint64> ids(const std::vector<Sequencer::Ptr> &out)
{
    QList<qint64> l;
    for (const auto &p : out)
        l << p->message.id;
    return l;
}

} // namespace

class tst_Sequencer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void inOrderPassesStraight()
    {
        Sequencer s(0);
        std::vector<Sequencer::Ptr> out;
        s.arrive(msg(1, 10, 1), 0, out);
        s.arrive(msg(2, 10, 2), 0, out);
        s.arrive(msg(3, 11, 1), 0, out);
        QCOMPARE(ids(out), (QList<qint64>{1, 2, 3}));
        QCOMPARE(s.watermark(), 3);
        QCOMPARE(s.waiting(), size_t(0));
    }

    void repeatsAreDropped()
    {
        Sequencer s(0);
        std::vector<Sequencer::Ptr> out;
        s.arrive(msg(1, 10, 1), 0, out);
        s.arrive(msg(1, 10, 1), 0, out);
        s.arrive(msg(2, 10, 2), 0, out);
        s.arrive(msg(1, 10, 1), 0, out);
        QCOMPARE(ids(out), (QList<qint64>{1, 2}));
    }

    // The later message of a conversation waits for the earlier one that is
    // still on its way (another instance's publish), then both go in order.
    void laterWaitsForEarlier()
    {
        Sequencer s(0);
        std::vector<Sequencer::Ptr> out;
        s.arrive(msg(1, 10, 1), 0, out); // conversation 10 known, seq 1
        s.arrive(msg(3, 10, 3), 0, out); // seq 2 (id 2) not here yet
        QCOMPARE(ids(out), (QList<qint64>{1}));
        QCOMPARE(s.waiting(), size_t(1));
        s.arrive(msg(2, 10, 2), 5, out);
        QCOMPARE(ids(out), (QList<qint64>{1, 2, 3}));
        QCOMPARE(s.waiting(), size_t(0));
    }

    // A conversation first seen with ids below it missing waits until they
    // have all arrived (one of them may be its own earlier message).
    void unknownConversationWaitsForTheWatermark()
    {
        Sequencer s(100);
        std::vector<Sequencer::Ptr> out;
        s.arrive(msg(103, 20, 7), 0, out); // 101 and 102 missing
        QVERIFY(out.empty());
        s.arrive(msg(101, 21, 1), 0, out); // another conversation: goes
        QCOMPARE(ids(out), (QList<qint64>{101}));
        s.arrive(msg(102, 20, 6), 0, out); // conversation 20's earlier one
        QCOMPARE(ids(out), (QList<qint64>{101, 102, 103}));
    }

    void unknownConversationWithNothingMissingGoesAtOnce()
    {
        Sequencer s(100);
        std::vector<Sequencer::Ptr> out;
        s.arrive(msg(101, 20, 57), 0, out); // seq 57: its past is history
        QCOMPARE(ids(out), (QList<qint64>{101}));
        s.arrive(msg(102, 20, 58), 0, out);
        QCOMPARE(ids(out), (QList<qint64>{101, 102}));
    }

    // What stays missing past the grace is asked for, once at a time, and
    // the answer unblocks the queue.
    void overdueAsksTheDatabase()
    {
        Sequencer s(0);
        std::vector<Sequencer::Ptr> out;
        s.arrive(msg(1, 10, 1), 0, out);
        s.arrive(msg(3, 10, 3), 100, out);
        QVERIFY(s.overdue(200, 300).empty()); // still within the grace
        const auto fills = s.overdue(450, 300);
        QCOMPARE(fills.size(), size_t(1));
        QCOMPARE(fills[0].conversationId, 10);
        QCOMPARE(fills[0].afterSeq, 1);
        QCOMPARE(fills[0].beforeSeq, 3);
        QVERIFY(s.overdue(900, 300).empty()); // one fill at a time
        s.arrive(msg(2, 10, 2), 950, out);
        s.fillDone(10, true, 950, out);
        QCOMPARE(ids(out), (QList<qint64>{1, 2, 3}));
    }

    // A fill for a conversation seen for the first time brings everything of
    // it above the watermark: its queue may go even if other conversations'
    // ids are still missing.
    void completeFillReleasesAnUnknownConversation()
    {
        Sequencer s(100);
        std::vector<Sequencer::Ptr> out;
        s.arrive(msg(104, 20, 9), 0, out); // 101..103 missing
        const auto fills = s.overdue(1000, 300);
        QCOMPARE(fills.size(), size_t(1));
        QCOMPARE(fills[0].afterSeq, -1);
        QCOMPARE(fills[0].afterId, 100);
        QCOMPARE(fills[0].beforeId, 104);
        s.arrive(msg(102, 20, 8), 1001, out); // the fill's answer
        s.fillDone(20, true, 1001, out);
        QCOMPARE(ids(out), (QList<qint64>{102, 104}));
    }

    void holesBelowTheHighestIdAreReported()
    {
        Sequencer s(0);
        std::vector<Sequencer::Ptr> out;
        s.arrive(msg(1, 10, 1), 0, out);
        s.arrive(msg(4, 11, 1), 0, out); // 2 and 3 missing
        QVERIFY(!s.overdueHole(100, 300));
        const auto hole = s.overdueHole(400, 300);
        QVERIFY(hole);
        QCOMPARE(hole->first, 1);
        QCOMPARE(hole->second, 4);
        QVERIFY(!s.overdueHole(800, 300)); // one at a time
        s.arrive(msg(2, 12, 1), 801, out);
        s.arrive(msg(3, 13, 1), 801, out);
        s.holeFillDone();
        QCOMPARE(s.watermark(), 4);
        QVERIFY(!s.overdueHole(2000, 300));
    }

    // Random arrival orders of a random workload: each conversation's
    // messages come out in seq order, each exactly once.
    void shuffledArrivalsComeOutInOrder()
    {
        QRandomGenerator rng(42);
        for (int round = 0; round < 50; ++round) {
            std::vector<Sequencer::Ptr> all;
            QHash<qint64, qint64> seqs;
            for (qint64 id = 1; id <= 300; ++id) {
                const qint64 conv = rng.bounded(1, 8);
                all.push_back(msg(id, conv, ++seqs[conv]));
            }
            // Each message arrives once or twice, in a locally shuffled order.
            std::vector<Sequencer::Ptr> arrivals = all;
            for (int i = 0; i < 60; ++i)
                arrivals.push_back(all[size_t(rng.bounded(300))]);
            for (size_t i = 0; i + 1 < arrivals.size(); ++i)
                std::swap(arrivals[i], arrivals[std::min(arrivals.size() - 1, i + size_t(rng.bounded(20)))]);
            Sequencer s(0);
            std::vector<Sequencer::Ptr> out;
            for (const auto &a : arrivals)
                s.arrive(a, 0, out);
            QCOMPARE(out.size(), size_t(300));
            QHash<qint64, qint64> last;
            for (const auto &d : out) {
                QCOMPARE(d->message.seq, last.value(d->message.conversationId) + 1);
                last[d->message.conversationId] = d->message.seq;
            }
            QCOMPARE(s.waiting(), size_t(0));
        }
    }
};

QTEST_GUILESS_MAIN(tst_Sequencer)
#include "tst_sequencer.moc"
