#pragma once

#include "db.h"
#include "protocol/objects.h"

#include <optional>

namespace sanayicin {
class UserCache;
}

namespace sanayicin::store {

// The two users of a conversation (userA < userB). Conversations never change
// members, so callers may cache this forever.
struct Members
{
    qint64 userA = 0;
    qint64 userB = 0;
    bool contains(qint64 user) const { return user == userA || user == userB; }
    qint64 peerOf(qint64 user) const { return user == userA ? userB : userA; }
};

struct ConversationPage
{
    QList<Conversation> items;
    qint64 total = 0;
};

struct OpenedConversation
{
    qint64 id = 0;
    bool created = false; // by this call
    bool opened = false;  // the opener had not opened it before this call
};

std::optional<Members> membersOf(Db &db, qint64 conversationId);
std::optional<qint64> findConversation(Db &db, qint64 user1, qint64 user2);
// `opener` asks for the conversation with `peer`: finds or creates it, and
// records that the opener has opened it. Safe when two requests race (the
// pair is unique).
OpenedConversation openConversation(Db &db, qint64 opener, qint64 peer, qint64 nowMs);
// The conversation as participant `userId` sees it (online flags not set),
// if they see it at all (it has a message, or they opened it). The peer is
// `hidden` while they do not see it (protocol.md, "Conversations").
std::optional<Conversation> conversationFor(Db &db, UserCache &users, qint64 conversationId,
                                           qint64 userId);
ConversationPage listConversations(Db &db, UserCache &users, qint64 userId, qint64 limit,
                                   qint64 offset);
QList<qint64> peersOf(Db &db, qint64 userId);
// The peers of many users in one query.
QHash<qint64, QList<qint64>> peersOfUsers(Db &db, const std::vector<qint64> &userIds);

} // namespace sanayicin::store
