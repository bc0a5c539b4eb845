// conversation_store: one conversation per pair, what a participant sees,
// the list by activity and unread counts; on SQLite and PostgreSQL.

#include "storage_test.h"

#include "storage/user_cache.h"

#include "storage/conversation_store.h"
#include "storage/message_batch.h"
#include "storage/message_store.h"

#include <QSet>

using namespace sanayicin;
using namespace sanayicin::test;
using namespace Qt::StringLiterals;

namespace {

QList<qint64> ids(const store::ConversationPage &page)
{
    QList<qint64> out;
    for (const Conversation &c : page.items)
        out << c.id;
    return out;
}

} // namespace

class tst_Conversations : public StorageTest
{
    Q_OBJECT

private:
    UserCache m_users;

private Q_SLOTS:
    void initTestCase_data() { addDialectRows(); }
    void initTestCase() { initSanayicinResources(); }
    void init();
    void cleanup() { m_db.reset(); }

    void findOrCreateIsOnePerPair();
    void members();
    void conversationForParticipantsOnly();
    void listOrderByActivity();
    void listPaging();
    void unreadCount();
    void lastMessage();
    void peers();
    void visibilityAndPresencePeers();

private:
    Message send(qint64 conversation, qint64 sender, const QString &body, qint64 nowMs);
    qint64 m_a = 0, m_b = 0, m_c = 0, m_d = 0;
    int m_sent = 0;
};

void tst_Conversations::init()
{
    QVERIFY(openDatabase());
    m_a = addUser(db(), u"ali"_s);
    m_b = addUser(db(), u"berk"_s, Role::Tradesman);
    m_c = addUser(db(), u"cem"_s, Role::Tradesman);
    m_d = addUser(db(), u"deniz"_s);
}

Message tst_Conversations::send(qint64 conversation, qint64 sender, const QString &body,
                                qint64 nowMs)
{
    const auto stored = store::storeMessageBatch(
        db(), {{sender, conversation, u"c%1"_s.arg(++m_sent), body}}, nowMs);
    if (stored.size() != 1 || stored[0].duplicate)
        qFatal("send failed");
    return stored[0].message;
}

void tst_Conversations::findOrCreateIsOnePerPair()
{
    const auto first = store::openConversation(db(), m_b, m_a, 100);
    const qint64 id = first.id;
    QVERIFY(id > 0);
    QVERIFY(first.created);
    QVERIFY(first.opened);
    // The peer asks for it: the same one, now opened by them too.
    const auto again = store::openConversation(db(), m_a, m_b, 200);
    QCOMPARE(again.id, id);
    QVERIFY(!again.created);
    QVERIFY(again.opened);
    // Asking again changes nothing.
    const auto third = store::openConversation(db(), m_b, m_a, 300);
    QCOMPARE(third.id, id);
    QVERIFY(!third.created);
    QVERIFY(!third.opened);
    QCOMPARE(scalar(db(), "SELECT opened_at FROM participants WHERE conversation_id = $1 AND user_id = $2",
                    {id, m_b}),
             100);
    QCOMPARE(scalar(db(), "SELECT opened_at FROM participants WHERE conversation_id = $1 AND user_id = $2",
                    {id, m_a}),
             200);

    const auto other = store::openConversation(db(), m_a, m_c, 400);
    QVERIFY(other.created);
    QVERIFY(other.id != id);

    QCOMPARE(scalar(db(), "SELECT count(*) FROM conversations"), 2);
    QCOMPARE(scalar(db(), "SELECT count(*) FROM participants WHERE conversation_id = $1", {id}), 2);
    QCOMPARE(scalar(db(), "SELECT created_at FROM conversations WHERE id = $1", {id}), 100);
    // Each participant row names the other as peer.
    QCOMPARE(scalar(db(), "SELECT peer_id FROM participants WHERE conversation_id = $1 AND user_id = $2",
                    {id, m_a}),
             m_b);
    QCOMPARE(scalar(db(), "SELECT peer_id FROM participants WHERE conversation_id = $1 AND user_id = $2",
                    {id, m_b}),
             m_a);
}

void tst_Conversations::members()
{
    const qint64 id = openedByBoth(db(), m_c, m_a, 1);
    const auto m = store::membersOf(db(), id);
    QVERIFY(m);
    QCOMPARE(m->userA, std::min(m_a, m_c));
    QCOMPARE(m->userB, std::max(m_a, m_c));
    QVERIFY(m->contains(m_a));
    QVERIFY(m->contains(m_c));
    QVERIFY(!m->contains(m_b));
    QCOMPARE(m->peerOf(m_a), m_c);
    QCOMPARE(m->peerOf(m_c), m_a);
    QVERIFY(!store::membersOf(db(), id + 1000));
}

void tst_Conversations::conversationForParticipantsOnly()
{
    const qint64 id = openedByBoth(db(), m_b, m_a, 1234);
    for (qint64 me : {m_a, m_b}) {
        const auto c = store::conversationFor(db(), m_users, id, me);
        QVERIFY(c);
        QCOMPARE(c->id, id);
        QCOMPARE(c->createdAtMs, 1234);
        QCOMPARE(c->unreadCount, 0);
        QVERIFY(!c->lastMessage);
        QCOMPARE(c->participants.size(), 2);
        QSet<qint64> who;
        for (const Participant &p : c->participants)
            who << p.user.id;
        QCOMPARE(who, (QSet<qint64>{m_a, m_b}));
        for (const Participant &p : c->participants) {
            QCOMPARE(p.user.username, p.user.id == m_a ? u"ali"_s : u"berk"_s);
            QCOMPARE(p.user.role, p.user.id == m_a ? Role::Customer : Role::Tradesman);
        }
    }
    // Isolation: anyone else learns nothing, not even that it exists.
    QVERIFY(!store::conversationFor(db(), m_users, id, m_c));
    QVERIFY(!store::conversationFor(db(), m_users, id, m_d));
    QVERIFY(!store::conversationFor(db(), m_users, id + 1000, m_a));
}

void tst_Conversations::listOrderByActivity()
{
    const qint64 ab = openedByBoth(db(), m_a, m_b, 100);
    const qint64 ac = openedByBoth(db(), m_a, m_c, 200);
    const qint64 ad = openedByBoth(db(), m_d, m_a, 300);
    const qint64 bc = openedByBoth(db(), m_b, m_c, 350);

    store::ConversationPage page = store::listConversations(db(), m_users, m_a, 50, 0);
    QCOMPARE(ids(page), (QList<qint64>{ad, ac, ab}));
    QCOMPARE(page.total, 3);

    send(ab, m_b, u"merhaba"_s, 400); // the oldest conversation becomes the newest
    QCOMPARE(ids(store::listConversations(db(), m_users, m_a, 50, 0)), (QList<qint64>{ab, ad, ac}));
    send(ac, m_a, u"selam"_s, 500); // the sender's list moves too
    QCOMPARE(ids(store::listConversations(db(), m_users, m_a, 50, 0)), (QList<qint64>{ac, ab, ad}));
    QCOMPARE(ids(store::listConversations(db(), m_users, m_c, 50, 0)), (QList<qint64>{ac, bc}));
    QCOMPARE(ids(store::listConversations(db(), m_users, m_b, 50, 0)), (QList<qint64>{ab, bc}));
    // Another user's activity does not reorder a's list.
    send(bc, m_b, u"x"_s, 600);
    QCOMPARE(ids(store::listConversations(db(), m_users, m_a, 50, 0)), (QList<qint64>{ac, ab, ad}));
    QCOMPARE(ids(store::listConversations(db(), m_users, m_d, 50, 0)), (QList<qint64>{ad}));

    // Equal activity: the newer conversation first.
    const qint64 e = addUser(db(), u"emre"_s);
    const qint64 f = addUser(db(), u"fatma"_s);
    const qint64 ef1 = openedByBoth(db(), e, m_a, 700);
    const qint64 ef2 = openedByBoth(db(), e, f, 700);
    QCOMPARE(ids(store::listConversations(db(), m_users, e, 50, 0)), (QList<qint64>{ef2, ef1}));
}

void tst_Conversations::listPaging()
{
    QList<qint64> expected;
    for (int i = 0; i < 7; ++i) {
        const qint64 peer = addUser(db(), u"peer%1"_s.arg(i));
        expected.prepend(openedByBoth(db(), m_a, peer, 1000 + i));
    }
    store::ConversationPage p = store::listConversations(db(), m_users, m_a, 3, 0);
    QCOMPARE(ids(p), expected.mid(0, 3));
    QCOMPARE(p.total, 7);
    p = store::listConversations(db(), m_users, m_a, 3, 3);
    QCOMPARE(ids(p), expected.mid(3, 3));
    QCOMPARE(p.total, 7);
    p = store::listConversations(db(), m_users, m_a, 3, 6);
    QCOMPARE(ids(p), expected.mid(6, 1));
    QCOMPARE(p.total, 7);
    p = store::listConversations(db(), m_users, m_a, 3, 9);
    QVERIFY(p.items.isEmpty());
    QCOMPARE(p.total, 7);
    p = store::listConversations(db(), m_users, m_a, 7, 0);
    QCOMPARE(ids(p), expected);
    QCOMPARE(p.total, 7);
    QCOMPARE(store::listConversations(db(), m_users, m_b, 10, 0).total, 0);
}

void tst_Conversations::unreadCount()
{
    const qint64 ab = openedByBoth(db(), m_a, m_b, 1);
    const qint64 ac = openedByBoth(db(), m_a, m_c, 1);
    send(ab, m_a, u"a1"_s, 10);
    const Message b1 = send(ab, m_b, u"b1"_s, 11);
    send(ab, m_a, u"a2"_s, 12);
    const Message b2 = send(ab, m_b, u"b2"_s, 13);
    const Message b3 = send(ab, m_b, u"b3"_s, 14);
    send(ac, m_c, u"c1"_s, 15); // another conversation does not count

    auto unread = [&](qint64 conv, qint64 me) {
        const auto c = store::conversationFor(db(), m_users, conv, me);
        return c ? c->unreadCount : -1;
    };
    auto unreadInList = [&](qint64 conv, qint64 me) {
        for (const Conversation &c : store::listConversations(db(), m_users, me, 50, 0).items)
            if (c.id == conv)
                return c.unreadCount;
        return qint64(-1);
    };
    // Only the peer's messages count, never one's own.
    QCOMPARE(unread(ab, m_a), 3);
    QCOMPARE(unread(ab, m_b), 2);
    QCOMPARE(unreadInList(ab, m_a), 3);
    QCOMPARE(unreadInList(ab, m_b), 2);
    QCOMPARE(unread(ac, m_a), 1);

    // After the read cursor.
    QVERIFY(store::advanceReadCursor(db(), ab, m_a, b1.id, b1.seq));
    QCOMPARE(unread(ab, m_a), 2);
    QCOMPARE(unreadInList(ab, m_a), 2);
    QCOMPARE(unread(ab, m_b), 2); // b's count is b's cursor's business

    // A deleted message is not unread.
    QVERIFY(store::deleteMessage(db(), b3.id, 20));
    QCOMPARE(unread(ab, m_a), 1);
    QCOMPARE(unreadInList(ab, m_a), 1);

    QVERIFY(store::advanceReadCursor(db(), ab, m_a, b2.id, b2.seq));
    QCOMPARE(unread(ab, m_a), 0);
    // b reads up to a's latest: none of a's messages is unread for b.
    const Message a3 = send(ab, m_a, u"a3"_s, 30);
    QVERIFY(store::advanceReadCursor(db(), ab, m_b, a3.id, a3.seq));
    QCOMPARE(unread(ab, m_b), 0);
}

void tst_Conversations::lastMessage()
{
    const qint64 ab = openedByBoth(db(), m_a, m_b, 1);
    send(ab, m_a, u"ilk"_s, 10);
    const Message last = send(ab, m_b, u"son mesaj 👋"_s, 11);
    for (qint64 me : {m_a, m_b}) {
        const auto c = store::conversationFor(db(), m_users, ab, me);
        QVERIFY(c && c->lastMessage);
        QCOMPARE(c->lastMessage->id, last.id);
        QCOMPARE(c->lastMessage->seq, 2);
        QCOMPARE(c->lastMessage->senderId, m_b);
        QCOMPARE(c->lastMessage->body, u"son mesaj 👋"_s);
        QCOMPARE(c->lastMessage->clientMsgId, last.clientMsgId);
        QCOMPARE(c->lastMessage->conversationId, ab);
        QCOMPARE(c->lastMessage->createdAtMs, 11);
        QVERIFY(!c->lastMessage->deleted);
    }
    QVERIFY(store::deleteMessage(db(), last.id, 12));
    const auto c = store::conversationFor(db(), m_users, ab, m_a);
    QVERIFY(c->lastMessage);
    QVERIFY(c->lastMessage->deleted);
    QVERIFY(c->lastMessage->body.isEmpty());
    const auto listed = store::listConversations(db(), m_users, m_a, 10, 0);
    QVERIFY(listed.items.at(0).lastMessage->deleted);
    QVERIFY(listed.items.at(0).lastMessage->body.isEmpty());
}

void tst_Conversations::peers()
{
    openedByBoth(db(), m_a, m_b, 1);
    openedByBoth(db(), m_c, m_a, 1);
    openedByBoth(db(), m_b, m_c, 1);
    QList<qint64> p = store::peersOf(db(), m_a);
    QCOMPARE(QSet<qint64>(p.cbegin(), p.cend()), (QSet<qint64>{m_b, m_c}));
    QCOMPARE(p.size(), 2);
    p = store::peersOf(db(), m_b);
    QCOMPARE(QSet<qint64>(p.cbegin(), p.cend()), (QSet<qint64>{m_a, m_c}));
    QVERIFY(store::peersOf(db(), m_d).isEmpty());
}

void tst_Conversations::visibilityAndPresencePeers()
{
    // a opens a conversation with d: a sees it, d does not; d is shown to a
    // hidden; they share no presence.
    const qint64 ad = store::openConversation(db(), m_a, m_d, 10).id;
    auto seen = store::conversationFor(db(), m_users, ad, m_a);
    QVERIFY(seen);
    for (const Participant &p : seen->participants)
        QCOMPARE(p.hidden, p.user.id == m_d);
    QVERIFY(!store::conversationFor(db(), m_users, ad, m_d));
    QCOMPARE(store::listConversations(db(), m_users, m_d, 10, 0).total, 0);
    QCOMPARE(store::listConversations(db(), m_users, m_a, 10, 0).total, 1);
    QCOMPARE(store::listConversations(db(), m_users, m_d, 10, 5).total, 0); // the count query too
    QVERIFY(!store::peersOf(db(), m_a).contains(m_d));
    QVERIFY(!store::peersOfUsers(db(), {m_a, m_d}).value(m_d).contains(m_a));

    // A message: both see it, both in full, and they are presence peers.
    send(ad, m_a, u"merhaba"_s, 20);
    seen = store::conversationFor(db(), m_users, ad, m_d);
    QVERIFY(seen);
    for (const Participant &p : seen->participants)
        QVERIFY(!p.hidden);
    QVERIFY(!store::conversationFor(db(), m_users, ad, m_a)->participants[0].hidden);
    QVERIFY(store::peersOf(db(), m_a).contains(m_d));
    QVERIFY(store::peersOf(db(), m_d).contains(m_a));
    const auto both = store::peersOfUsers(db(), {m_a, m_d});
    QVERIFY(both.value(m_a).contains(m_d) && both.value(m_d).contains(m_a));

    // Empty, but opened by both: they see each other too.
    const qint64 bd = store::openConversation(db(), m_b, m_d, 30).id;
    QVERIFY(!store::peersOf(db(), m_b).contains(m_d));
    QVERIFY(store::openConversation(db(), m_d, m_b, 40).opened);
    QVERIFY(store::peersOf(db(), m_b).contains(m_d));
    QVERIFY(store::conversationFor(db(), m_users, bd, m_d));
}

QTEST_GUILESS_MAIN(tst_Conversations)
#include "tst_conversations.moc"
