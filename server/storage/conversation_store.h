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

std::optional<Members> membersOf(Db &db, qint64 conversationId);
// Returns the conversation's id and whether this call created it; safe when
// two requests race (the pair is unique).
std::pair<qint64, bool> findOrCreateConversation(Db &db, qint64 user1, qint64 user2, qint64 nowMs);
// The conversation as participant `userId` sees it (online flags not set).
std::optional<Conversation> conversationFor(Db &db, UserCache &users, qint64 conversationId,
                                           qint64 userId);
ConversationPage listConversations(Db &db, UserCache &users, qint64 userId, qint64 limit,
                                   qint64 offset);
QList<qint64> peersOf(Db &db, qint64 userId);
// The peers of many users in one query.
QHash<qint64, QList<qint64>> peersOfUsers(Db &db, const std::vector<qint64> &userIds);

} // namespace sanayicin::store
