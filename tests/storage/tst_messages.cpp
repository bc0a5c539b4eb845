// message_store: history paging, sync, gap filling by seq, moderation
// deletes, read cursors and reports; on SQLite and PostgreSQL.

#include "storage_test.h"

#include "storage/conversation_store.h"
#include "storage/message_batch.h"
#include "storage/message_store.h"

using namespace sanayicin;
using namespace sanayicin::test;
using namespace Qt::StringLiterals;

namespace {

QList<qint64> ids(const QList<Message> &messages)
{
    QList<qint64> out;
    for (const Message &m : messages)
        out << m.id;
    return out;
}

} // namespace

class tst_Messages : public StorageTest
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data() { addDialectRows(); }
    void initTestCase() { initSanayicinResources(); }
    void init();
    void cleanup() { m_db.reset(); }

    void historyNewestPages();
    void historyBeforeId();
    void historyAfterId();
    void historyBetween();
    void historyOfOtherConversationsIsSeparate();
    void syncIsolationAndOrder();
    void syncPaging();
    void bySeq();
    void deleteMessage();
    void readCursorOnlyMovesForward();
    void lastMessageIdFor();
    void reports();

private:
    Message send(qint64 conversation, qint64 sender, qint64 nowMs = 100);
    qint64 m_a = 0, m_b = 0, m_c = 0;
    qint64 m_ab = 0, m_ac = 0, m_bc = 0;
    QList<qint64> m_abIds; // the 10 messages of a-b, ascending
    int m_sent = 0;
};

Message tst_Messages::send(qint64 conversation, qint64 sender, qint64 nowMs)
{
    ++m_sent;
    const auto r = store::storeMessageBatch(
        db(), {{sender, conversation, u"cm%1"_s.arg(m_sent), u"mesaj %1"_s.arg(m_sent)}}, nowMs);
    if (r.size() != 1 || r[0].duplicate)
        qFatal("send failed");
    return r[0].message;
}

void tst_Messages::init()
{
    QVERIFY(openDatabase());
    m_a = addUser(db(), u"ali"_s);
    m_b = addUser(db(), u"berk"_s, Role::Tradesman);
    m_c = addUser(db(), u"cem"_s, Role::Tradesman);
    m_ab = openedByBoth(db(), m_a, m_b, 1);
    m_ac = openedByBoth(db(), m_a, m_c, 1);
    m_bc = openedByBoth(db(), m_b, m_c, 1);
    m_abIds.clear();
    m_sent = 0;
    // Ten a-b messages with others in between, so that ids are not contiguous.
    for (int i = 0; i < 10; ++i) {
        m_abIds << send(m_ab, i % 2 ? m_b : m_a).id;
        if (i % 3 == 0)
            send(m_bc, m_c);
        if (i % 4 == 1)
            send(m_ac, m_a);
    }
}

void tst_Messages::historyNewestPages()
{
    store::MessagePage p = store::history(db(), m_ab, {}, {}, 50);
    QCOMPARE(ids(p.items), m_abIds);
    QVERIFY(!p.hasMore);
    for (int i = 0; i < p.items.size(); ++i) {
        QCOMPARE(p.items[i].seq, qint64(i + 1));
        QCOMPARE(p.items[i].conversationId, m_ab);
    }

    p = store::history(db(), m_ab, {}, {}, 4);
    QCOMPARE(ids(p.items), m_abIds.mid(6, 4)); // the newest four, ascending
    QVERIFY(p.hasMore);
    p = store::history(db(), m_ab, {}, {}, 10); // exactly all
    QCOMPARE(ids(p.items), m_abIds);
    QVERIFY(!p.hasMore);
    p = store::history(db(), m_ab, {}, {}, 9);
    QCOMPARE(ids(p.items), m_abIds.mid(1));
    QVERIFY(p.hasMore);
}

void tst_Messages::historyBeforeId()
{
    // Paging backwards from the newest, as a client scrolling up.
    QList<qint64> collected;
    qint64 before = 0;
    int pages = 0;
    for (;;) {
        const store::MessagePage p = store::history(db(), m_ab, before ? std::optional(before) : std::nullopt, {}, 3);
        ++pages;
        QVERIFY(!p.items.isEmpty());
        collected = ids(p.items) + collected;
        before = p.items.first().id;
        if (!p.hasMore)
            break;
        QVERIFY(pages < 10);
    }
    QCOMPARE(collected, m_abIds);
    QCOMPARE(pages, 4); // 3 + 3 + 3 + 1

    store::MessagePage p = store::history(db(), m_ab, m_abIds[6], {}, 4);
    QCOMPARE(ids(p.items), m_abIds.mid(2, 4));
    QVERIFY(p.hasMore);
    p = store::history(db(), m_ab, m_abIds[3], {}, 3);
    QCOMPARE(ids(p.items), m_abIds.mid(0, 3));
    QVERIFY(!p.hasMore);
    p = store::history(db(), m_ab, m_abIds[0], {}, 3);
    QVERIFY(p.items.isEmpty());
    QVERIFY(!p.hasMore);
    // before_id need not be an id of this conversation.
    const qint64 foreign = m_abIds[6] - 1; // an a-c message between [5] and [6]
    QVERIFY(foreign > m_abIds[5] && !m_abIds.contains(foreign));
    p = store::history(db(), m_ab, foreign, {}, 50);
    QCOMPARE(ids(p.items), m_abIds.mid(0, 6));
}

void tst_Messages::historyAfterId()
{
    // Paging forwards from the first message, as a client catching up.
    QList<qint64> collected;
    qint64 after = m_abIds[0];
    for (int pages = 0;; ++pages) {
        const store::MessagePage p = store::history(db(), m_ab, {}, after, 4);
        collected += ids(p.items);
        if (!p.hasMore)
            break;
        after = p.items.last().id;
        QVERIFY(pages < 10);
    }
    QCOMPARE(collected, m_abIds.mid(1));

    store::MessagePage p = store::history(db(), m_ab, {}, m_abIds[1], 3);
    QCOMPARE(ids(p.items), m_abIds.mid(2, 3)); // oldest first after the cursor
    QVERIFY(p.hasMore);
    p = store::history(db(), m_ab, {}, m_abIds[6], 3); // exactly the rest
    QCOMPARE(ids(p.items), m_abIds.mid(7, 3));
    QVERIFY(!p.hasMore);
    p = store::history(db(), m_ab, {}, m_abIds[9], 3);
    QVERIFY(p.items.isEmpty());
    QVERIFY(!p.hasMore);
    // 0 is a cursor like any other: after 0 is the oldest page, before 0 none.
    p = store::history(db(), m_ab, {}, 0, 3);
    QCOMPARE(ids(p.items), m_abIds.mid(0, 3));
    QVERIFY(p.hasMore);
    p = store::history(db(), m_ab, 0, {}, 3);
    QVERIFY(p.items.isEmpty());
    QVERIFY(!p.hasMore);
}

void tst_Messages::historyBetween()
{
    store::MessagePage p = store::history(db(), m_ab, m_abIds[6], m_abIds[1], 50);
    QCOMPARE(ids(p.items), m_abIds.mid(2, 4));
    QVERIFY(!p.hasMore);
    p = store::history(db(), m_ab, m_abIds[6], m_abIds[1], 2);
    QCOMPARE(ids(p.items), m_abIds.mid(2, 2));
    QVERIFY(p.hasMore);
    p = store::history(db(), m_ab, m_abIds[6], m_abIds[1], 4);
    QCOMPARE(ids(p.items), m_abIds.mid(2, 4));
    QVERIFY(!p.hasMore); // bounded by before_id: nothing more in that window
    p = store::history(db(), m_ab, m_abIds[2], m_abIds[1], 5);
    QVERIFY(p.items.isEmpty());
}

void tst_Messages::historyOfOtherConversationsIsSeparate()
{
    const store::MessagePage bc = store::history(db(), m_bc, {}, {}, 50);
    QCOMPARE(bc.items.size(), 4);
    for (const Message &m : bc.items)
        QCOMPARE(m.conversationId, m_bc);
    const store::MessagePage ac = store::history(db(), m_ac, {}, {}, 50);
    QCOMPARE(ac.items.size(), 3);
    QVERIFY(store::history(db(), 987654, {}, {}, 50).items.isEmpty());
}

void tst_Messages::syncIsolationAndOrder()
{
    // a takes part in a-b and a-c, never b-c.
    const store::MessagePage a = store::syncMessages(db(), m_a, 0, 1000);
    QVERIFY(!a.hasMore);
    QCOMPARE(a.items.size(), 10 + 3);
    qint64 last = 0;
    for (const Message &m : a.items) {
        QVERIFY2(m.conversationId == m_ab || m.conversationId == m_ac, "isolation");
        QVERIFY(m.id > last); // ascending by id
        last = m.id;
    }
    const store::MessagePage c = store::syncMessages(db(), m_c, 0, 1000);
    QCOMPARE(c.items.size(), 4 + 3);
    for (const Message &m : c.items)
        QVERIFY(m.conversationId == m_bc || m.conversationId == m_ac);

    // A user in no conversation sees nothing.
    const qint64 d = addUser(db(), u"deniz"_s);
    QVERIFY(store::syncMessages(db(), d, 0, 1000).items.isEmpty());

    // after_id: strictly after.
    const qint64 cut = a.items[5].id;
    const store::MessagePage rest = store::syncMessages(db(), m_a, cut, 1000);
    QCOMPARE(ids(rest.items), ids(a.items.mid(6)));
}

void tst_Messages::syncPaging()
{
    const QList<qint64> all = ids(store::syncMessages(db(), m_b, 0, 1000).items);
    QCOMPARE(all.size(), 14);
    QList<qint64> collected;
    qint64 after = 0;
    int pages = 0;
    for (;;) {
        const store::MessagePage p = store::syncMessages(db(), m_b, after, 5);
        ++pages;
        QVERIFY(p.items.size() <= 5);
        collected += ids(p.items);
        if (!p.hasMore)
            break;
        QCOMPARE(p.items.size(), 5);
        after = p.items.last().id;
        QVERIFY(pages < 10);
    }
    QCOMPARE(collected, all);
    QCOMPARE(pages, 3);
    // Exactly a page left: no more.
    const store::MessagePage exact = store::syncMessages(db(), m_b, all[8], 5);
    QCOMPARE(ids(exact.items), all.mid(9));
    QVERIFY(!exact.hasMore);
}

void tst_Messages::bySeq()
{
    QList<Message> m = store::messagesBySeq(db(), m_ab, 2, 5);
    QCOMPARE(ids(m), m_abIds.mid(2, 3));
    QCOMPARE(m[0].seq, 3);
    QCOMPARE(m[2].seq, 5);
    QCOMPARE(ids(store::messagesBySeq(db(), m_ab, 0, 1)), QList<qint64>{m_abIds[0]});
    QCOMPARE(ids(store::messagesBySeq(db(), m_ab, 9, 100)), QList<qint64>{m_abIds[9]});
    QVERIFY(store::messagesBySeq(db(), m_ab, 10, 20).isEmpty());
    QVERIFY(store::messagesBySeq(db(), m_ab, 5, 5).isEmpty());
    for (const Message &x : store::messagesBySeq(db(), m_bc, 0, 100))
        QCOMPARE(x.conversationId, m_bc);
    QCOMPARE(store::messagesBySeq(db(), m_bc, 0, 100).size(), 4);
}

void tst_Messages::deleteMessage()
{
    const qint64 id = m_abIds[4];
    const auto original = store::messageById(db(), id);
    QVERIFY(original && !original->deleted);
    QCOMPARE(original->body, u"mesaj "_s + original->clientMsgId.mid(2));
    QVERIFY(store::deleteMessage(db(), id, 777));
    const auto m = store::messageById(db(), id);
    QVERIFY(m);
    QVERIFY(m->deleted);
    QVERIFY(m->body.isEmpty());
    QCOMPARE(m->seq, 5); // still holds its place
    // The text is gone from storage, not just hidden.
    QCOMPARE(rawQuery(db(), "SELECT body FROM messages WHERE id = $1", {id}).text(0, 0), QString());
    QCOMPARE(scalar(db(), "SELECT deleted_at FROM messages WHERE id = $1", {id}), 777);

    // Idempotent: a second delete changes nothing and says so.
    QVERIFY(!store::deleteMessage(db(), id, 888));
    QCOMPARE(scalar(db(), "SELECT deleted_at FROM messages WHERE id = $1", {id}), 777);
    QVERIFY(!store::deleteMessage(db(), 987654, 1));

    // Reads everywhere show it deleted.
    const store::MessagePage h = store::history(db(), m_ab, {}, {}, 50);
    QVERIFY(h.items[4].deleted);
    QVERIFY(h.items[4].body.isEmpty());
    QVERIFY(!h.items[3].deleted);
    QVERIFY(!h.items[3].body.isEmpty());
    bool seen = false;
    for (const Message &x : store::syncMessages(db(), m_a, 0, 1000).items)
        if (x.id == id) {
            seen = true;
            QVERIFY(x.deleted && x.body.isEmpty());
        }
    QVERIFY(seen);
    QVERIFY(store::messagesBySeq(db(), m_ab, 4, 5).at(0).deleted);
}

void tst_Messages::readCursorOnlyMovesForward()
{
    auto cursor = [&](qint64 user) {
        const DbRows r = rawQuery(db(),
                                  "SELECT last_read_message_id, last_read_seq FROM participants "
                                  "WHERE conversation_id = $1 AND user_id = $2",
                                  {m_ab, user});
        return std::pair<qint64, qint64>{r.int64(0, 0), r.int64(0, 1)};
    };
    QCOMPARE(cursor(m_a), (std::pair<qint64, qint64>{0, 0}));
    QVERIFY(store::advanceReadCursor(db(), m_ab, m_a, m_abIds[4], 5));
    QCOMPARE(cursor(m_a), (std::pair<qint64, qint64>{m_abIds[4], 5}));
    QVERIFY(!store::advanceReadCursor(db(), m_ab, m_a, m_abIds[4], 5)); // same place
    QVERIFY(!store::advanceReadCursor(db(), m_ab, m_a, m_abIds[2], 3)); // backwards
    QCOMPARE(cursor(m_a), (std::pair<qint64, qint64>{m_abIds[4], 5}));
    QVERIFY(store::advanceReadCursor(db(), m_ab, m_a, m_abIds[9], 10));
    QCOMPARE(cursor(m_a), (std::pair<qint64, qint64>{m_abIds[9], 10}));
    QCOMPARE(cursor(m_b), (std::pair<qint64, qint64>{0, 0})); // per participant
    // A non-participant has no cursor to move.
    QVERIFY(!store::advanceReadCursor(db(), m_ab, m_c, m_abIds[9], 10));
    QCOMPARE(scalar(db(), "SELECT count(*) FROM participants WHERE conversation_id = $1", {m_ab}), 2);
}

void tst_Messages::lastMessageIdFor()
{
    const qint64 top = scalar(db(), "SELECT max(id) FROM messages");
    const qint64 abMax = m_abIds.last();
    const qint64 bcMax = scalar(db(), "SELECT max(id) FROM messages WHERE conversation_id = $1", {m_bc});
    const qint64 acMax = scalar(db(), "SELECT max(id) FROM messages WHERE conversation_id = $1", {m_ac});
    QCOMPARE(store::lastMessageIdFor(db(), m_a), std::max(abMax, acMax));
    QCOMPARE(store::lastMessageIdFor(db(), m_c), std::max(bcMax, acMax));
    // The newest message of all is in a-c: b must not learn of it.
    QVERIFY(std::max(abMax, bcMax) < top);
    QCOMPARE(store::lastMessageIdFor(db(), m_b), std::max(abMax, bcMax));
    const qint64 d = addUser(db(), u"deniz"_s);
    QCOMPARE(store::lastMessageIdFor(db(), d), 0);
    openedByBoth(db(), d, m_a, 5);
    QCOMPARE(store::lastMessageIdFor(db(), d), 0); // a conversation without messages
}

void tst_Messages::reports()
{
    const qint64 r1 = store::insertReport(db(), m_abIds[3], m_a, u"hakaret içeriyor"_s, 900);
    const qint64 r2 = store::insertReport(db(), m_abIds[3], m_b, u"spam"_s, 901);
    QVERIFY(r1 > 0);
    QVERIFY(r2 > r1);
    const DbRows rows = rawQuery(db(),
                                 "SELECT message_id, reporter_id, reason, created_at, resolved_at "
                                 "FROM reports WHERE id = $1",
                                 {r1});
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.int64(0, 0), m_abIds[3]);
    QCOMPARE(rows.int64(0, 1), m_a);
    QCOMPARE(rows.text(0, 2), u"hakaret içeriyor"_s);
    QCOMPARE(rows.int64(0, 3), 900);
    QVERIFY(rows.isNull(0, 4));
    // A report must name a real message.
    try {
        store::insertReport(db(), 987654, m_a, u"x"_s, 1);
        QFAIL("a report on a missing message was stored");
    } catch (const DbError &e) {
        QVERIFY(e.kind() != DbError::Kind::Connection);
    }
    QCOMPARE(scalar(db(), "SELECT count(*) FROM reports"), 2);
}

QTEST_GUILESS_MAIN(tst_Messages)
#include "tst_messages.moc"
