#pragma once

#include "db.h"
#include "protocol/objects.h"

#include <vector>

namespace sanayicin::store {

struct PendingSend
{
    qint64 senderId = 0;
    qint64 conversationId = 0; // the sender must already be known to be a member
    QString clientMsgId;
    QString body;
};

struct StoredSend
{
    bool duplicate = false; // true: `message` is the one stored earlier
    Message message;
};

// Group commit: stores every send of the batch in one transaction and returns
// one result per send, in order. Under the counter lock (held to commit) it
// deduplicates on (sender, client_msg_id), gives each new message the next
// id and the next seq of its conversation, and advances the conversations.
// Throws DbError; then nothing of the batch is stored.
std::vector<StoredSend> storeMessageBatch(Db &db, const std::vector<PendingSend> &sends,
                                          qint64 nowMs);

} // namespace sanayicin::store
