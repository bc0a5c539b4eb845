#pragma once

#include "db.h"
#include "protocol/objects.h"

#include <QHash>
#include <optional>

namespace sanayicin::store {

struct MessagePage
{
    QList<Message> items; // ascending by id
    bool hasMore = false;
};

// History of one conversation. With afterId: the oldest `limit` messages
// after it (and before beforeId, if given); otherwise the newest `limit`
// before beforeId (or of all). 0 is a cursor like any other: after 0 is the
// oldest page, before 0 is empty. hasMore tells whether the next page in that
// direction has anything.
MessagePage history(Db &db, qint64 conversationId, std::optional<qint64> beforeId,
                    std::optional<qint64> afterId, qint64 limit);
// Every message after afterId in the conversations of userId.
MessagePage syncMessages(Db &db, qint64 userId, qint64 afterId, qint64 limit);
QList<Message> messagesBySeq(Db &db, qint64 conversationId, qint64 afterSeq, qint64 uptoSeq);
// Messages of a conversation with afterId < id < beforeId, by seq.
QList<Message> messagesBetweenIds(Db &db, qint64 conversationId, qint64 afterId, qint64 beforeId);
// Messages of a conversation with id > afterId and seq < beforeSeq, by seq.
QList<Message> messagesAfterId(Db &db, qint64 conversationId, qint64 afterId, qint64 beforeSeq);
struct MessageWithMembers
{
    Message message;
    qint64 userA = 0;
    qint64 userB = 0;
};
// Messages with afterId < id < beforeId (at most `limit`), by id.
QList<MessageWithMembers> messagesByIdRange(Db &db, qint64 afterId, qint64 beforeId, qint64 limit);
// A conversation's newest message id (0 if none), or nullopt if it does not exist.
std::optional<qint64> lastMessageIdOf(Db &db, qint64 conversationId);
// The user's conversations with a message after `afterId`: id -> newest id.
QHash<qint64, qint64> syncHeads(Db &db, qint64 userId, qint64 afterId);
// The largest message id handed out (and committed) so far.
qint64 messageCounter(Db &db);
std::optional<Message> messageById(Db &db, qint64 id);
bool deleteMessage(Db &db, qint64 id, qint64 nowMs);
bool advanceReadCursor(Db &db, qint64 conversationId, qint64 userId, qint64 messageId, qint64 seq);
qint64 lastMessageIdFor(Db &db, qint64 userId);
// The same for many users in one query (users without conversations absent).
QHash<qint64, qint64> lastMessageIds(Db &db, const std::vector<qint64> &userIds);
qint64 insertReport(Db &db, qint64 messageId, qint64 reporterId, const QString &reason,
                    qint64 nowMs);

} // namespace sanayicin::store
