#include "conversation_store.h"

#include "batched_lookup.h"
#include "row_readers.h"
#include "user_cache.h"

namespace sanayicin::store {

namespace {

// Columns of conversation_one / conversation_list: see those files.
Conversation readConversation(const DbRows &rows, int r)
{
    Conversation c;
    c.id = rows.int64(r, 0);
    c.createdAtMs = rows.int64(r, 1);
    c.unreadCount = rows.int64(r, 2);
    if (!rows.isNull(r, 6))
        c.lastMessage = readMessage(rows, r, 6);
    // Names are filled in by withUsers().
    c.participants.push_back({User{rows.int64(r, 3), {}, {}, Role::Customer, 0}, false});
    c.participants.push_back({User{rows.int64(r, 4), {}, {}, Role::Customer, 0}, false});
    // Whether the other participant sees it: a message, or they opened it.
    const bool peerSees = c.lastMessage.has_value() || !rows.isNull(r, 14);
    c.participants[0].hidden = !peerSees;
    c.participants[1].hidden = !peerSees;
    return c;
}

// Only the viewer's peer can be hidden from the viewer.
void unhideViewer(QList<Conversation> &conversations, qint64 viewer)
{
    for (Conversation &c : conversations)
        for (Participant &p : c.participants)
            if (p.user.id == viewer)
                p.hidden = false;
}

void withUsers(Db &db, UserCache &cache, QList<Conversation> &conversations)
{
    std::vector<qint64> ids;
    for (const Conversation &c : conversations)
        for (const Participant &p : c.participants)
            ids.push_back(p.user.id);
    const QHash<qint64, User> users = cache.users(db, ids);
    for (Conversation &c : conversations)
        for (Participant &p : c.participants)
            p.user = users.value(p.user.id, p.user);
}

} // namespace

std::optional<Members> membersOf(Db &db, qint64 conversationId)
{
    const DbRows rows = db.query(QStringLiteral("conversation_members"), {conversationId});
    if (rows.isEmpty())
        return std::nullopt;
    return Members{rows.int64(0, 0), rows.int64(0, 1)};
}

std::optional<qint64> findConversation(Db &db, qint64 user1, qint64 user2)
{
    const DbRows found = db.query(QStringLiteral("conversation_find_pair"),
                                  {std::min(user1, user2), std::max(user1, user2)});
    if (found.isEmpty())
        return std::nullopt;
    return found.int64(0, 0);
}

OpenedConversation openConversation(Db &db, qint64 opener, qint64 peer, qint64 nowMs)
{
    const qint64 a = std::min(opener, peer);
    const qint64 b = std::max(opener, peer);
    auto openExisting = [&](qint64 id) {
        const bool opened = db.query(QStringLiteral("participant_open"), {id, opener, nowMs}).affected() > 0;
        return OpenedConversation{id, false, opened};
    };
    if (const auto id = findConversation(db, a, b))
        return openExisting(*id);

    Transaction tx(db);
    const DbRows inserted = db.query(QStringLiteral("conversation_insert"), {a, b, nowMs});
    if (inserted.isEmpty()) {
        // Another request created it between our look-up and insert.
        tx.commit();
        return openExisting(*findConversation(db, a, b));
    }
    const qint64 id = inserted.int64(0, 0);
    // The creator has opened it; the peer has not (yet).
    db.query(QStringLiteral("participant_insert"), {id, a, b, a == opener ? DbValue(nowMs) : DbValue()});
    db.query(QStringLiteral("participant_insert"), {id, b, a, b == opener ? DbValue(nowMs) : DbValue()});
    tx.commit();
    return {id, true, true};
}

std::optional<Conversation> conversationFor(Db &db, UserCache &users, qint64 conversationId,
                                           qint64 userId)
{
    const DbRows rows = db.query(QStringLiteral("conversation_one"), {conversationId, userId});
    if (rows.isEmpty())
        return std::nullopt;
    QList<Conversation> one{readConversation(rows, 0)};
    unhideViewer(one, userId);
    withUsers(db, users, one);
    return one.first();
}

ConversationPage listConversations(Db &db, UserCache &users, qint64 userId, qint64 limit,
                                   qint64 offset)
{
    ConversationPage page;
    const DbRows rows = db.query(QStringLiteral("conversation_list"), {userId, limit, offset});
    for (int r = 0; r < rows.size(); ++r)
        page.items.push_back(readConversation(rows, r));
    unhideViewer(page.items, userId);
    withUsers(db, users, page.items);
    // The window count came with the rows; past the end there are none.
    if (!rows.isEmpty())
        page.total = rows.int64(0, 5);
    else if (offset == 0)
        page.total = 0;
    else
        page.total = db.query(QStringLiteral("conversation_count"), {userId}).int64(0, 0);
    return page;
}

QList<qint64> peersOf(Db &db, qint64 userId)
{
    const DbRows rows = db.query(QStringLiteral("peers_of_user"), {userId});
    QList<qint64> out;
    out.reserve(rows.size());
    for (int r = 0; r < rows.size(); ++r)
        out << rows.int64(r, 0);
    return out;
}

QHash<qint64, QList<qint64>> peersOfUsers(Db &db, const std::vector<qint64> &userIds)
{
    const DbRows rows = db.query(QStringLiteral("peers_of_users"),
                                 {idListParameter(db.dialect(), userIds)});
    QHash<qint64, QList<qint64>> out;
    for (int r = 0; r < rows.size(); ++r)
        out[rows.int64(r, 0)].push_back(rows.int64(r, 1));
    return out;
}

} // namespace sanayicin::store
