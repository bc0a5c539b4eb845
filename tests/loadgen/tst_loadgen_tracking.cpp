// The generator's correctness bookkeeping: duplicates and order violations
// per connection and conversation, the acked-but-never-delivered check, and
// the tag it writes into client_msg_id.

#include "delivery_check.h"
#include "msg_tag.h"
#include "receive_track.h"

#include <QtTest>

using namespace sanayicin::loadgen;

class tst_LoadgenTracking : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void inOrderIsNew();
    void duplicateIsCounted();
    void lowerAfterHigherIsAnOrderViolation();
    void conversationsAreSeparate();
    void seqBelowTheFirstOne();
    void neverDeliveredFindsTheGap();
    void receiversOpenedLateOrClosedAreExcluded();
    void msgTagRoundTrip();
    void msgTagRejectsOthers();
};

void tst_LoadgenTracking::inOrderIsNew()
{
    ReceiveTrack t;
    for (int64_t seq = 1; seq <= 300; ++seq)
        QCOMPARE(t.record(42, seq), ReceiveTrack::Outcome::New);
    for (int64_t seq = 1; seq <= 300; ++seq)
        QVERIFY(t.has(42, seq));
    QVERIFY(!t.has(42, 301));
    QVERIFY(!t.has(42, 0));
    QCOMPARE(t.highestSeq(42), 300);
    QCOMPARE(t.received(), 300u);
}

void tst_LoadgenTracking::duplicateIsCounted()
{
    ReceiveTrack t;
    QCOMPARE(t.record(1, 5), ReceiveTrack::Outcome::New);
    QCOMPARE(t.record(1, 5), ReceiveTrack::Outcome::Duplicate);
    QCOMPARE(t.record(1, 6), ReceiveTrack::Outcome::New);
    QCOMPARE(t.record(1, 5), ReceiveTrack::Outcome::Duplicate); // old and repeated: a duplicate
}

void tst_LoadgenTracking::lowerAfterHigherIsAnOrderViolation()
{
    ReceiveTrack t;
    QCOMPARE(t.record(1, 1), ReceiveTrack::Outcome::New);
    QCOMPARE(t.record(1, 2), ReceiveTrack::Outcome::New);
    QCOMPARE(t.record(1, 4), ReceiveTrack::Outcome::New); // a gap is not a violation by itself
    QCOMPARE(t.record(1, 3), ReceiveTrack::Outcome::OutOfOrder);
    QCOMPARE(t.record(1, 3), ReceiveTrack::Outcome::Duplicate);
    QCOMPARE(t.record(1, 5), ReceiveTrack::Outcome::New);
    QCOMPARE(t.highestSeq(1), 5);
}

void tst_LoadgenTracking::conversationsAreSeparate()
{
    ReceiveTrack t;
    QCOMPARE(t.record(1, 10), ReceiveTrack::Outcome::New);
    QCOMPARE(t.record(2, 1), ReceiveTrack::Outcome::New); // lower, but another conversation
    QCOMPARE(t.record(2, 1), ReceiveTrack::Outcome::Duplicate);
    QVERIFY(t.has(1, 10));
    QVERIFY(!t.has(1, 1));
    QVERIFY(t.has(2, 1));
}

void tst_LoadgenTracking::seqBelowTheFirstOne()
{
    // A connection that joins mid-conversation first sees a high seq; a lower
    // one later is out of order, and must still be remembered.
    ReceiveTrack t;
    QCOMPARE(t.record(9, 1000), ReceiveTrack::Outcome::New);
    QCOMPARE(t.record(9, 3), ReceiveTrack::Outcome::OutOfOrder);
    QVERIFY(t.has(9, 3));
    QVERIFY(t.has(9, 1000));
    QVERIFY(!t.has(9, 500));
    QCOMPARE(t.record(9, 3), ReceiveTrack::Outcome::Duplicate);
    QCOMPARE(t.record(9, 1001), ReceiveTrack::Outcome::New);
}

void tst_LoadgenTracking::neverDeliveredFindsTheGap()
{
    // Conversation 7: user A on connections 0 (sends) and 1, user B on 2.
    ReceiveTrack a0, a1, b2;
    a1.record(7, 1);
    a1.record(7, 2);
    a1.record(7, 3);
    b2.record(7, 1);
    b2.record(7, 3); // seq 2 never reached B
    const std::vector<ReceiverState> conns = {{&a0, 100, 0}, {&a1, 100, 0}, {&b2, 100, 0}};
    const std::unordered_map<int64_t, std::vector<uint32_t>> receivers = {{7, {0, 1, 2}}};
    const std::vector<AckRecord> acks = {{7, 1, 1000, 0}, {7, 2, 2000, 0}, {7, 3, 3000, 0}};
    const CheckResult r = checkDeliveries(acks, receivers, conns);
    QCOMPARE(r.expected, 6u); // 3 messages x 2 receivers (the sender gets acks)
    QCOMPARE(r.missing, 1u);
    QCOMPARE(r.messagesMissing, 1u);
    QCOMPARE(r.excludedReceivers, 0u);
}

void tst_LoadgenTracking::receiversOpenedLateOrClosedAreExcluded()
{
    ReceiveTrack sender, late, closed, fine;
    fine.record(3, 1);
    const std::vector<ReceiverState> conns = {
        {&sender, 10, 0}, {&late, 5000, 0}, {&closed, 10, 4000}, {&fine, 10, 0}};
    const std::unordered_map<int64_t, std::vector<uint32_t>> receivers = {{3, {0, 1, 2, 3}}};
    const CheckResult r = checkDeliveries({{3, 1, 1000, 0}}, receivers, conns);
    QCOMPARE(r.expected, 1u);
    QCOMPARE(r.missing, 0u);
    QCOMPARE(r.excludedReceivers, 2u);
}

void tst_LoadgenTracking::msgTagRoundTrip()
{
    char buf[kMsgTagMax];
    const MsgTag in{0xdeadbeef, 4294967295u, 18446744073709551ull, 9223372036854775807ll};
    const size_t n = formatMsgTag(in, buf);
    QVERIFY(n <= kMsgTagMax);
    MsgTag out;
    QVERIFY(parseMsgTag(std::string_view(buf, n), out));
    QCOMPARE(out.run, in.run);
    QCOMPARE(out.connection, in.connection);
    QCOMPARE(out.n, in.n);
    QCOMPARE(out.dueNs, in.dueNs);

    const size_t m = formatMsgTag({1, 2, 3, 4}, buf);
    QCOMPARE(std::string(buf, m), std::string("00000001.2.3.4"));
}

void tst_LoadgenTracking::msgTagRejectsOthers()
{
    MsgTag t;
    QVERIFY(!parseMsgTag("m1", t));
    QVERIFY(!parseMsgTag("0000000g.1.2.3", t));
    QVERIFY(!parseMsgTag("00000001.1.2", t));
    QVERIFY(!parseMsgTag("00000001.1.2.3x", t));
    QVERIFY(!parseMsgTag("00000001.1.2.3.4", t));
    QVERIFY(parseMsgTag("00000001.1.2.3", t));
}

QTEST_APPLESS_MAIN(tst_LoadgenTracking)
#include "tst_loadgen_tracking.moc"
