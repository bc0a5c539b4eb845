#include "message_batch.h"

#include "pg_arrays.h"
#include "row_readers.h"

#include <QHash>
#include <map>

namespace sanayicin::store {

namespace {

using Key = std::pair<qint64, QString>; // (sender, client_msg_id)

struct ConversationHead
{
    qint64 lastSeq = 0;
    qint64 userA = 0;
    qint64 userB = 0;
};

struct ConversationAdvance
{
    qint64 lastSeq = 0;
    qint64 lastMessageId = 0;
};

void collectHeads(const DbRows &rows, std::map<qint64, ConversationHead> &out)
{
    for (int r = 0; r < rows.size(); ++r)
        out[rows.int64(r, 0)] = {rows.int64(r, 1), rows.int64(r, 2), rows.int64(r, 3)};
}

void collectExisting(const DbRows &rows, QHash<Key, Message> &out)
{
    for (int r = 0; r < rows.size(); ++r) {
        Message m = readMessage(rows, r, 0);
        out.insert({m.senderId, m.clientMsgId}, m);
    }
}

// What a batch does, decided from what the database said (SQLite, with the
// statements of resources/sql/queries/sqlite/batch_*.sql; the same steps for
// PostgreSQL are sanayicin_store_messages() in
// resources/sql/functions/postgresql/store_messages.sql, and
// tests/storage/data/group_commit_cases.json holds both to one table of
// cases).
struct BatchPlan
{
    std::vector<StoredSend> results;
    std::vector<int> firstOf; // index of the send a repeat inside the batch points at
    std::vector<Message> rows; // new messages, in id order
    std::map<qint64, ConversationAdvance> advances;
    qint64 lastId = 0;
};

BatchPlan planBatch(const std::vector<PendingSend> &sends, const QHash<Key, Message> &existing,
                    std::map<qint64, ConversationHead> heads, qint64 base, qint64 nowMs)
{
    BatchPlan plan;
    plan.results.resize(sends.size());
    plan.firstOf.assign(sends.size(), -1);
    plan.lastId = base;
    // Every send's sender must be a member, repeats included (as
    // PostgreSQL's function checks them all first): a batch naming a
    // conversation its sender is not in stores nothing. The callers check
    // membership; this keeps the store honest on its own (PostgreSQL's
    // messages table has no foreign keys, see its migration 0003).
    for (const PendingSend &s : sends) {
        const auto head = heads.find(s.conversationId);
        if (head == heads.end() || (s.senderId != head->second.userA && s.senderId != head->second.userB))
            throw DbError(DbError::Kind::Other, QStringLiteral("message batch"),
                          QStringLiteral("sender %1 is not a member of conversation %2")
                              .arg(s.senderId)
                              .arg(s.conversationId));
    }
    QHash<Key, int> seenInBatch;
    for (size_t i = 0; i < sends.size(); ++i) {
        const PendingSend &s = sends[i];
        const Key key{s.senderId, s.clientMsgId};
        if (auto it = existing.constFind(key); it != existing.constEnd()) {
            plan.results[i] = {true, *it};
            continue;
        }
        if (auto it = seenInBatch.constFind(key); it != seenInBatch.constEnd()) {
            plan.firstOf[i] = *it;
            continue;
        }
        const auto head = heads.find(s.conversationId); // checked above
        seenInBatch.insert(key, int(i));
        plan.firstOf[i] = int(i);
        Message m;
        m.id = ++plan.lastId;
        m.conversationId = s.conversationId;
        m.seq = ++head->second.lastSeq;
        m.senderId = s.senderId;
        m.clientMsgId = s.clientMsgId;
        m.body = s.body;
        m.createdAtMs = nowMs;
        plan.advances[m.conversationId] = {m.seq, m.id};
        plan.results[i] = {false, m};
        plan.rows.push_back(m);
    }
    return plan;
}

std::vector<StoredSend> finish(BatchPlan &plan)
{
    for (size_t i = 0; i < plan.results.size(); ++i)
        if (plan.firstOf[i] >= 0 && plan.firstOf[i] != int(i))
            plan.results[i] = {true, plan.results[size_t(plan.firstOf[i])].message};
    return std::move(plan.results);
}

std::vector<qint64> conversationsOf(const std::vector<PendingSend> &sends)
{
    std::vector<qint64> out;
    for (const PendingSend &s : sends)
        out.push_back(s.conversationId);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}


// PostgreSQL: one round trip. BEGIN, the call of sanayicin_store_messages()
// (functions/postgresql/store_messages.sql: the whole batch inside the
// server, so the counter lock is held only while it runs and commits) and
// COMMIT go out in one flight.
std::vector<StoredSend> storePostgres(Db &db, const std::vector<PendingSend> &sends, qint64 nowMs)
{
    std::vector<qint64> senders, conversations;
    QList<QString> clientIds, bodies;
    for (const PendingSend &s : sends) {
        senders.push_back(s.senderId);
        conversations.push_back(s.conversationId);
        clientIds << s.clientMsgId;
        bodies << s.body;
    }
    Transaction tx(db, Transaction::Deferred);
    const std::vector<DbRows> result = db.pipeline(
        {{&sqlStatement(db.dialect(), QStringLiteral("batch_store")),
          {pgIntArray(senders), pgIntArray(conversations), pgTextArray(clientIds),
           pgTextArray(bodies), nowMs}}},
        true, true);
    tx.markCommitted();
    const DbRows &rows = result.front();
    if (rows.size() != int(sends.size()))
        throw DbError(DbError::Kind::Other, QStringLiteral("batch_store"),
                      QStringLiteral("%1 results for %2 sends").arg(rows.size()).arg(sends.size()));
    std::vector<StoredSend> out(sends.size());
    for (int r = 0; r < rows.size(); ++r) {
        const qint64 ord = rows.int64(r, 0);
        if (ord < 1 || ord > qint64(sends.size()))
            throw DbError(DbError::Kind::Other, QStringLiteral("batch_store"), QStringLiteral("bad ord"));
        out[size_t(ord - 1)] = {rows.text(r, 1) == u"t", readMessage(rows, r, 2)};
    }
    return out;
}

// SQLite: statements one by one, in process; BEGIN IMMEDIATE is the lock.
std::vector<StoredSend> storeSqlite(Db &db, const std::vector<PendingSend> &sends, qint64 nowMs)
{
    Transaction tx(db);
    const qint64 base = db.query(QStringLiteral("batch_lock_counter")).int64(0, 0);
    QHash<Key, Message> existing;
    for (const PendingSend &s : sends)
        collectExisting(db.query(QStringLiteral("batch_find_existing"), {s.senderId, s.clientMsgId}),
                        existing);
    std::map<qint64, ConversationHead> heads;
    for (qint64 id : conversationsOf(sends))
        collectHeads(db.query(QStringLiteral("batch_last_seqs"), {id}), heads);
    BatchPlan plan = planBatch(sends, existing, heads, base, nowMs);
    for (const Message &m : plan.rows)
        db.query(QStringLiteral("batch_insert_messages"),
                 {m.id, m.conversationId, m.seq, m.senderId, m.clientMsgId, m.body, m.createdAtMs});
    for (const auto &[id, a] : plan.advances)
        db.query(QStringLiteral("batch_update_conversations"), {id, a.lastSeq, a.lastMessageId, nowMs});
    // The other participant's unread count, per conversation and sender.
    std::map<std::pair<qint64, qint64>, qint64> unread;
    for (const Message &m : plan.rows)
        ++unread[{m.conversationId, m.senderId}];
    for (const auto &[key, n] : unread)
        db.query(QStringLiteral("batch_unread_add"), {key.first, key.second, n});
    if (!plan.rows.empty())
        db.query(QStringLiteral("batch_set_counter"), {plan.lastId});
    tx.commit();
    return finish(plan);
}

} // namespace

std::vector<StoredSend> storeMessageBatch(Db &db, const std::vector<PendingSend> &sends,
                                          qint64 nowMs)
{
    if (sends.empty())
        return {};
    return db.dialect() == Dialect::Postgres ? storePostgres(db, sends, nowMs)
                                             : storeSqlite(db, sends, nowMs);
}

} // namespace sanayicin::store
