#include "message_store.h"

#include "batched_lookup.h"
#include "row_readers.h"

#include <limits>

namespace sanayicin::store {

MessagePage history(Db &db, qint64 conversationId, std::optional<qint64> beforeId,
                    std::optional<qint64> afterId, qint64 limit)
{
    MessagePage page;
    const qint64 upper = beforeId.value_or(std::numeric_limits<qint64>::max());
    if (afterId) {
        const DbRows rows = db.query(QStringLiteral("messages_after"),
                                     {conversationId, *afterId, upper, limit + 1});
        for (int r = 0; r < rows.size() && r < limit; ++r)
            page.items.push_back(readMessage(rows, r, 0));
        page.hasMore = rows.size() > limit;
        return page;
    }
    const DbRows rows =
        db.query(QStringLiteral("messages_before"), {conversationId, upper, limit + 1});
    const int n = int(std::min<qint64>(rows.size(), limit));
    for (int r = n - 1; r >= 0; --r)
        page.items.push_back(readMessage(rows, r, 0));
    page.hasMore = rows.size() > limit;
    return page;
}

MessagePage syncMessages(Db &db, qint64 userId, qint64 afterId, qint64 limit)
{
    MessagePage page;
    const DbRows rows = db.query(QStringLiteral("messages_sync"), {userId, afterId, limit + 1});
    for (int r = 0; r < rows.size() && r < limit; ++r)
        page.items.push_back(readMessage(rows, r, 0));
    page.hasMore = rows.size() > limit;
    return page;
}

QList<Message> messagesBySeq(Db &db, qint64 conversationId, qint64 afterSeq, qint64 uptoSeq)
{
    const DbRows rows =
        db.query(QStringLiteral("messages_seq_range"), {conversationId, afterSeq, uptoSeq});
    QList<Message> out;
    for (int r = 0; r < rows.size(); ++r)
        out.push_back(readMessage(rows, r, 0));
    return out;
}

QList<Message> messagesAfterId(Db &db, qint64 conversationId, qint64 afterId, qint64 beforeSeq)
{
    const DbRows rows = db.query(QStringLiteral("messages_conversation_after_id"),
                                 {conversationId, afterId, beforeSeq});
    QList<Message> out;
    for (int r = 0; r < rows.size(); ++r)
        out.push_back(readMessage(rows, r, 0));
    return out;
}

QList<Message> messagesBetweenIds(Db &db, qint64 conversationId, qint64 afterId, qint64 beforeId)
{
    const DbRows rows = db.query(QStringLiteral("messages_after"),
                                 {conversationId, afterId, beforeId, qint64(1000000)});
    QList<Message> out;
    for (int r = 0; r < rows.size(); ++r)
        out.push_back(readMessage(rows, r, 0));
    return out;
}

QList<MessageWithMembers> messagesByIdRange(Db &db, qint64 afterId, qint64 beforeId, qint64 limit)
{
    const DbRows rows = db.query(QStringLiteral("messages_id_range"), {afterId, beforeId, limit});
    QList<MessageWithMembers> out;
    for (int r = 0; r < rows.size(); ++r)
        out.push_back({readMessage(rows, r, 0), rows.int64(r, 8), rows.int64(r, 9)});
    return out;
}

std::optional<qint64> lastMessageIdOf(Db &db, qint64 conversationId)
{
    const DbRows rows = db.query(QStringLiteral("conversation_head"), {conversationId});
    if (rows.isEmpty())
        return std::nullopt;
    return rows.int64(0, 0);
}

QHash<qint64, qint64> syncHeads(Db &db, qint64 userId, qint64 afterId)
{
    const DbRows rows = db.query(QStringLiteral("sync_heads"), {userId, afterId});
    QHash<qint64, qint64> out;
    for (int r = 0; r < rows.size(); ++r)
        out.insert(rows.int64(r, 0), rows.int64(r, 1));
    return out;
}

qint64 messageCounter(Db &db)
{
    return db.query(QStringLiteral("message_counter")).int64(0, 0);
}

std::optional<Message> messageById(Db &db, qint64 id)
{
    const DbRows rows = db.query(QStringLiteral("message_by_id"), {id});
    if (rows.isEmpty())
        return std::nullopt;
    return readMessage(rows, 0, 0);
}

bool deleteMessage(Db &db, qint64 id, qint64 nowMs)
{
    const auto m = messageById(db, id);
    if (!m || !db.query(QStringLiteral("message_delete"), {id, nowMs}).affected())
        return false;
    // Unread counts count undeleted messages only.
    db.query(QStringLiteral("unread_after_delete"), {m->conversationId, m->senderId, m->seq});
    return true;
}

bool advanceReadCursor(Db &db, qint64 conversationId, qint64 userId, qint64 messageId, qint64 seq)
{
    return db.query(QStringLiteral("read_cursor_advance"), {conversationId, userId, messageId, seq})
               .affected()
           > 0;
}

qint64 lastMessageIdFor(Db &db, qint64 userId)
{
    return db.query(QStringLiteral("last_message_id_for_user"), {userId}).int64(0, 0);
}

QHash<qint64, qint64> lastMessageIds(Db &db, const std::vector<qint64> &userIds)
{
    const DbRows rows = db.query(QStringLiteral("last_message_ids"),
                                 {idListParameter(db.dialect(), userIds)});
    QHash<qint64, qint64> out;
    for (int r = 0; r < rows.size(); ++r)
        out.insert(rows.int64(r, 0), rows.int64(r, 1));
    return out;
}

qint64 insertReport(Db &db, qint64 messageId, qint64 reporterId, const QString &reason,
                    qint64 nowMs)
{
    return db.query(QStringLiteral("report_insert"), {messageId, reporterId, reason, nowMs})
        .int64(0, 0);
}

} // namespace sanayicin::store
