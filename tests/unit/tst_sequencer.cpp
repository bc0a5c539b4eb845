// The reorder buffer between every source of messages and the connections:
// per conversation, messages leave gapless and in seq order, repeats never.

#include "delivery/sequencer.h"

#include <QtTest>
#include <functional>
#include <map>

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
    // it above the watermark: its queue is then in order, but it still waits
    // for the other conversations' smaller ids (messages leave in id order).
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
        QVERIFY(out.empty()); // 101 and 103 (other conversations) not seen yet
        QCOMPARE(s.waiting(), size_t(2));
        s.arrive(msg(103, 22, 1), 1002, out);
        QVERIFY(out.empty());
        s.arrive(msg(101, 21, 1), 1003, out);
        QCOMPARE(ids(out), (QList<qint64>{101, 102, 103, 104}));
        QCOMPARE(s.waiting(), size_t(0));
    }

    // A client's sync cursor is the highest id it has seen: 2 (conversation
    // 11) before 1 (conversation 10) on one connection, and a client whose
    // connection dropped between the two would sync from 2 and never get 1.
    void conversationsLeaveInIdOrder()
    {
        Sequencer s(0);
        std::vector<Sequencer::Ptr> out;
        s.arrive(msg(2, 11, 1), 0, out);
        s.arrive(msg(3, 11, 2), 0, out);
        QVERIFY(out.empty());
        s.arrive(msg(1, 10, 1), 5, out);
        QCOMPARE(ids(out), (QList<qint64>{1, 2, 3}));
        s.arrive(msg(5, 10, 2), 6, out); // 4 missing
        s.arrive(msg(4, 12, 1), 7, out);
        QCOMPARE(ids(out), (QList<qint64>{1, 2, 3, 4, 5}));
    }

    // An id that a complete hole read did not return was deleted (retention
    // ran between the commit and the read): it is passed over, or everything
    // behind it would wait for ever. A read cut at its limit says nothing.
    void idGoneFromACompleteHoleReadIsPassedOver()
    {
        Sequencer s(0);
        std::vector<Sequencer::Ptr> out;
        s.arrive(msg(1, 10, 1), 0, out);
        s.arrive(msg(4, 11, 1), 0, out); // 2 and 3 missing
        QCOMPARE(ids(out), (QList<qint64>{1}));
        auto hole = s.overdueHole(400, 300);
        QVERIFY(hole);
        s.arrive(msg(2, 12, 1), 401, out);
        s.holeFillDone(true, 0, 401, 300, out); // cut at its limit: 3 may still come
        QCOMPARE(ids(out), (QList<qint64>{1, 2}));
        QCOMPARE(s.watermark(), 2);
        hole = s.overdueHole(800, 300);
        QVERIFY(hole);
        QCOMPARE(hole->first, 2);
        QCOMPARE(hole->second, 4);
        s.holeFillDone(false, INT64_MAX, 801, 300, out); // failed: nothing passed over
        QCOMPARE(s.watermark(), 2);
        hole = s.overdueHole(1200, 300);
        QVERIFY(hole);
        s.holeFillDone(true, INT64_MAX, 1201, 300, out); // complete, without 3
        QCOMPARE(ids(out), (QList<qint64>{1, 2, 4}));
        QCOMPARE(s.watermark(), 4);
        QCOMPARE(s.waiting(), size_t(0));
    }

    // A read cut at its row limit is complete up to its last row: an id
    // below that which it did not return is passed over. (Counted as not
    // complete at all, a deleted id followed by a limit's worth of rows
    // already seen held the watermark for good: the same rows every time.)
    void holeReadCutAtItsLimitPassesOverBelowItsLastRow()
    {
        Sequencer s(0);
        std::vector<Sequencer::Ptr> out;
        s.arrive(msg(1, 10, 1), 0, out);
        for (qint64 id : {3, 4, 5, 6})
            s.arrive(msg(id, id, 1), 0, out); // 2 deleted
        QCOMPARE(ids(out), (QList<qint64>{1}));
        const auto hole = s.overdueHole(400, 300);
        QVERIFY(hole);
        QCOMPARE(hole->second, 6);
        // The read (limit 3) returned 3, 4 and 5, seen already.
        QCOMPARE(s.holeFillDone(true, 5, 401, 300, out), qint64(1));
        QCOMPARE(ids(out), (QList<qint64>{1, 3, 4, 5, 6}));
        QCOMPARE(s.waiting(), size_t(0));
    }

    // An id passed over that comes after all (a read that could not see it
    // yet) still goes, behind the larger ones, and only once.
    void passedOverIdThatComesLaterStillGoes()
    {
        Sequencer s(0);
        std::vector<Sequencer::Ptr> out;
        s.arrive(msg(1, 10, 1), 0, out);
        s.arrive(msg(3, 11, 1), 0, out);
        QVERIFY(s.overdueHole(400, 300));
        QCOMPARE(s.holeFillDone(true, INT64_MAX, 401, 300, out), qint64(1));
        QCOMPARE(ids(out), (QList<qint64>{1, 3}));
        QVERIFY(s.arrive(msg(2, 12, 1), 500, out));
        QVERIFY(!s.arrive(msg(2, 12, 1), 501, out));
        QCOMPARE(ids(out), (QList<qint64>{1, 3, 2}));
        QCOMPARE(s.watermark(), 3);
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
        s.holeFillDone(true, INT64_MAX, 801, 300, out);
        QCOMPARE(s.watermark(), 4);
        QVERIFY(!s.overdueHole(2000, 300));
    }

    // A gap in a busy conversation: every later message joins the queue, but
    // the wait runs from when the gap showed, so the read comes after the
    // grace however steady the traffic (it used to restart at each arrival,
    // leaving the gap to the instance-wide scan: seconds late).
    void busyConversationIsRepairedAfterTheGrace()
    {
        Sequencer s(0);
        std::vector<Sequencer::Ptr> out;
        s.arrive(msg(1, 10, 1), 0, out);
        // id 2 (seq 2) is lost; the conversation goes on every 50 ms.
        qint64 id = 3;
        for (qint64 t = 0; t < 300; t += 50) {
            s.arrive(msg(id, 10, id), t, out);
            ++id;
            QVERIFY(s.overdue(t, 300).empty());
        }
        s.arrive(msg(id, 10, id), 300, out);
        const auto fills = s.overdue(300, 300);
        QCOMPARE(fills.size(), size_t(1));
        QCOMPARE(fills[0].afterSeq, 1);
        QCOMPARE(fills[0].beforeSeq, id); // up to the last queued: every gap at once
        QCOMPARE(ids(out), (QList<qint64>{1}));
        // The read brings seq 2 (and the queued ones again: repeats).
        for (qint64 i = 2; i < id; ++i)
            s.arrive(msg(i, 10, i), 320, out);
        s.fillDone(10, true, 320, out);
        QCOMPARE(out.size(), size_t(id));
        QCOMPARE(s.waiting(), size_t(0));
    }

    // Several gaps in one queue (another instance's messages lost between
    // ours): one read covers them all, instead of one grace per gap.
    void oneFillClosesEveryGapOfTheQueue()
    {
        Sequencer s(0);
        std::vector<Sequencer::Ptr> out;
        s.arrive(msg(1, 10, 1), 0, out);
        s.arrive(msg(3, 10, 3), 0, out);
        s.arrive(msg(5, 10, 5), 10, out);
        s.arrive(msg(7, 10, 7), 20, out);
        const auto fills = s.overdue(300, 300);
        QCOMPARE(fills.size(), size_t(1));
        QCOMPARE(fills[0].afterSeq, 1);
        QCOMPARE(fills[0].beforeSeq, 7);
        for (qint64 i : {2, 3, 4, 5, 6})
            s.arrive(msg(i, 10, i), 310, out);
        s.fillDone(10, true, 310, out);
        QCOMPARE(ids(out), (QList<qint64>{1, 2, 3, 4, 5, 6, 7}));
    }

    // A queue left with a new gap after a partial release waits from the
    // arrival of the oldest message behind that gap, not from the release.
    void theNextGapWaitsFromItsOwnStart()
    {
        Sequencer s(0);
        std::vector<Sequencer::Ptr> out;
        s.arrive(msg(1, 10, 1), 0, out);
        s.arrive(msg(3, 10, 3), 0, out);   // seq 2 missing since 0
        s.arrive(msg(5, 10, 5), 200, out); // seq 4 missing since 200
        s.arrive(msg(2, 10, 2), 250, out); // 2 and 3 go; 5 waits for 4
        QCOMPARE(ids(out), (QList<qint64>{1, 2, 3}));
        QVERIFY(s.overdue(499, 300).empty());
        const auto fills = s.overdue(500, 300);
        QCOMPARE(fills.size(), size_t(1));
        QCOMPARE(fills[0].afterSeq, 3);
        QCOMPARE(fills[0].beforeSeq, 5);
    }

    // An unknown conversation waits for the watermark; the watermark moving
    // (other conversations arriving) does not restart its wait.
    void unknownConversationWaitIsNotRestartedByTheWatermark()
    {
        Sequencer s(100);
        std::vector<Sequencer::Ptr> out;
        s.arrive(msg(104, 20, 9), 0, out); // 101..103 missing
        s.arrive(msg(101, 21, 1), 100, out);
        s.arrive(msg(102, 22, 1), 200, out);
        QCOMPARE(ids(out), (QList<qint64>{101, 102}));
        const auto fills = s.overdue(300, 300);
        QCOMPARE(fills.size(), size_t(1));
        QCOMPARE(fills[0].conversationId, 20);
        QCOMPARE(fills[0].afterId, 102);
        QCOMPARE(fills[0].beforeId, 104);
    }

    // A failed read is asked again, after a full grace; a complete one that
    // leaves a gap which showed during the read keeps that gap's own start.
    void failedFillIsAskedAgainAfterTheGrace()
    {
        Sequencer s(0);
        std::vector<Sequencer::Ptr> out;
        s.arrive(msg(1, 10, 1), 0, out);
        s.arrive(msg(3, 10, 3), 0, out);
        QCOMPARE(s.overdue(300, 300).size(), size_t(1));
        s.fillDone(10, false, 350, out);
        QVERIFY(s.overdue(600, 300).empty());
        QCOMPARE(s.overdue(650, 300).size(), size_t(1));
        s.arrive(msg(5, 10, 5), 660, out); // seq 4 missing since 660
        s.arrive(msg(2, 10, 2), 670, out); // the read's answer
        s.fillDone(10, true, 670, out);
        QCOMPARE(ids(out), (QList<qint64>{1, 2, 3}));
        QVERIFY(s.overdue(959, 300).empty());
        QCOMPARE(s.overdue(960, 300).size(), size_t(1));
    }

    // The instance-wide scan: a hole counts from when it showed, not from
    // when the first of a run of overlapping holes did (under steady traffic
    // some id is nearly always in flight, which made every fresh hole look
    // overdue at once).
    void holeAgeCountsFromWhenItShowed()
    {
        Sequencer s(0);
        std::vector<Sequencer::Ptr> out;
        s.arrive(msg(1, 10, 1), 0, out);
        s.arrive(msg(3, 11, 1), 0, out);   // 2 missing since 0
        s.arrive(msg(5, 12, 1), 250, out); // 4 missing since 250
        s.arrive(msg(2, 13, 1), 260, out); // 2 came in time
        QCOMPARE(s.watermark(), 3);
        QVERIFY(!s.overdueHole(400, 300));
        QVERIFY(!s.overdueHole(549, 300));
        const auto hole = s.overdueHole(550, 300);
        QVERIFY(hole);
        QCOMPARE(hole->first, 3);
        QCOMPARE(hole->second, 5);
    }

    // Every id missing past the grace is in one range; ids that went missing
    // later are left for their own grace.
    void overdueHolesAreReadTogether()
    {
        Sequencer s(0);
        std::vector<Sequencer::Ptr> out;
        for (qint64 id : {1, 3, 5, 7})
            s.arrive(msg(id, id, 1), 0, out);
        s.arrive(msg(9, 9, 1), 200, out); // 8 missing since 200
        const auto hole = s.overdueHole(300, 300);
        QVERIFY(hole);
        QCOMPARE(hole->first, 1);
        QCOMPARE(hole->second, 7); // 2, 4 and 6; not 8
        for (qint64 id : {2, 4, 6})
            s.arrive(msg(id, id, 1), 310, out);
        s.holeFillDone(true, INT64_MAX, 310, 300, out);
        QCOMPARE(s.watermark(), 7);
        QVERIFY(!s.overdueHole(499, 300));
        const auto next = s.overdueHole(500, 300);
        QVERIFY(next);
        QCOMPARE(next->first, 7);
        QCOMPARE(next->second, 9);
    }

    // The committed counter shows a lost tail (nothing seen after it): it is
    // read after the grace; a failed read is asked again after another.
    void committedCounterShowsALostTail()
    {
        Sequencer s(10);
        std::vector<Sequencer::Ptr> out;
        s.committed(10, 0); // nothing new
        QVERIFY(!s.overdueHole(1000, 300));
        s.committed(13, 100);
        QVERIFY(!s.overdueHole(399, 300));
        auto hole = s.overdueHole(400, 300);
        QVERIFY(hole);
        QCOMPARE(hole->first, 10);
        QCOMPARE(hole->second, 14);
        s.holeFillDone(false, 0, 420, 300, out);
        QVERIFY(!s.overdueHole(719, 300));
        hole = s.overdueHole(720, 300);
        QVERIFY(hole);
        for (qint64 id : {11, 12, 13})
            s.arrive(msg(id, 1, id), 730, out);
        s.holeFillDone(true, INT64_MAX, 730, 300, out);
        QCOMPARE(s.watermark(), 13);
        QVERIFY(!s.overdueHole(5000, 300));
    }

    // The delivery thread's repair loop around the sequencer, simulated in
    // milliseconds: three instances send steadily into 40 conversations;
    // this instance loses every other instance's publish for 3 s (Redis
    // away), then gets them again. Fills are answered 10 ms after they are
    // asked, as the read pool would. Every message comes out once, in order
    // per conversation, and none later than a second after its commit,
    // during the outage or after it (it used to be 8-12 s after a 3 s outage).
    void outageUnderSteadyTrafficDelaysLittle()
    {
        constexpr qint64 kEvery = 5, kUntil = 9000, kDownFrom = 3000, kDownTo = 6000;
        constexpr qint64 kGrace = 300, kRead = 10;
        QRandomGenerator rng(7);
        struct Committed
        {
            Sequencer::Ptr message;
            qint64 at = 0;
        };
        std::vector<Committed> db(1); // by id; id 0 unused
        QHash<qint64, qint64> seqs;
        std::multimap<qint64, std::function<void()>> events;
        Sequencer s(0);
        QHash<qint64, qint64> deliveredAt;
        QHash<qint64, qint64> lastSeq;
        bool orderOk = true;
        qint64 now = 0;
        qint64 lastId = 0;
        auto take = [&](const std::vector<Sequencer::Ptr> &out) {
            for (const auto &d : out) {
                orderOk = orderOk && !deliveredAt.contains(d->message.id) && d->message.id > lastId
                          && d->message.seq == lastSeq.value(d->message.conversationId) + 1;
                lastId = d->message.id;
                lastSeq[d->message.conversationId] = d->message.seq;
                deliveredAt[d->message.id] = now;
            }
        };
        auto arrive = [&](const std::vector<Sequencer::Ptr> &batch) {
            std::vector<Sequencer::Ptr> out;
            for (const auto &m : batch)
                s.arrive(m, now, out);
            return out;
        };
        auto committedUpTo = [&] {
            qint64 counter = 0;
            while (counter + 1 < qint64(db.size()) && db[size_t(counter + 1)].at <= now)
                ++counter;
            return counter;
        };
        for (qint64 id = 1; id * kEvery < kUntil; ++id) {
            const qint64 at = id * kEvery;
            const qint64 conv = rng.bounded(1, 41);
            db.push_back({msg(id, conv, ++seqs[conv]), at});
            const bool ours = rng.bounded(3) == 0;
            if (ours)
                events.emplace(at + 1, [&, id] { take(arrive({db[size_t(id)].message})); });
            else if (at < kDownFrom || at >= kDownTo)
                events.emplace(at + 3, [&, id] { take(arrive({db[size_t(id)].message})); });
        }
        for (qint64 t = 100; t < kUntil + 3000; t += 100) {
            events.emplace(t, [&] {
                for (const Sequencer::Fill &f : s.overdue(now, kGrace)) {
                    events.emplace(now + kRead, [&, f] {
                        std::vector<Sequencer::Ptr> found;
                        for (const Committed &c : db)
                            if (c.message && c.message->message.conversationId == f.conversationId
                                && (f.afterSeq >= 0 ? c.message->message.seq > f.afterSeq
                                                          && c.message->message.seq < f.beforeSeq
                                                    : c.message->message.id > f.afterId
                                                          && c.message->message.id < f.beforeId))
                                found.push_back(c.message);
                        auto out = arrive(found);
                        s.fillDone(f.conversationId, true, now, out);
                        take(out);
                    });
                }
                if (const auto hole = s.overdueHole(now, kGrace)) {
                    events.emplace(now + kRead, [&, hole] {
                        std::vector<Sequencer::Ptr> found;
                        for (qint64 id = hole->first + 1; id < hole->second; ++id)
                            found.push_back(db[size_t(id)].message);
                        auto out = arrive(found);
                        s.holeFillDone(true, hole->second, now, kGrace, out);
                        take(out);
                    });
                }
            });
        }
        // The tail check: often while Redis is away, once a second otherwise.
        for (qint64 t = 0; t < kUntil + 3000;) {
            const bool down = t >= kDownFrom && t < kDownTo;
            t += down ? 250 : 1000;
            events.emplace(t, [&] {
                const qint64 counter = committedUpTo();
                events.emplace(now + kRead, [&, counter] { s.committed(counter, now); });
            });
        }
        while (!events.empty()) {
            auto first = events.begin();
            now = first->first;
            auto run = std::move(first->second);
            events.erase(first);
            run();
        }
        QVERIFY(orderOk);
        QCOMPARE(deliveredAt.size(), qsizetype(db.size() - 1));
        qint64 worstDuring = 0, worstAfter = 0;
        for (size_t id = 1; id < db.size(); ++id) {
            const qint64 delay = deliveredAt.value(qint64(id)) - db[id].at;
            if (db[id].at < kDownTo)
                worstDuring = std::max(worstDuring, delay);
            else
                worstAfter = std::max(worstAfter, delay);
        }
        qDebug() << "worst delay during the outage" << worstDuring << "ms, after" << worstAfter << "ms";
        QVERIFY2(worstDuring < 1000, qPrintable(QString::number(worstDuring)));
        QVERIFY2(worstAfter < 1000, qPrintable(QString::number(worstAfter)));
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
            qint64 lastId = 0;
            for (const auto &d : out) {
                QCOMPARE(d->message.seq, last.value(d->message.conversationId) + 1);
                QVERIFY(d->message.id > lastId); // in id order across conversations too
                last[d->message.conversationId] = d->message.seq;
                lastId = d->message.id;
            }
            QCOMPARE(s.waiting(), size_t(0));
        }
    }
};

QTEST_GUILESS_MAIN(tst_Sequencer)
#include "tst_sequencer.moc"
