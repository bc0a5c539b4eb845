#include "message_batch.h"

#include "row_readers.h"

#include <QHash>
#include <map>

namespace sanayicin::store {

namespace {

using Key = std::pair<qint64, QString>; // (sender, client_msg_id)

QHash<Key, Message> findExisting(Db &db, const std::vector<PendingSend> &sends)
{
    QHash<Key, Message> found;
    auto collect = [&](const DbRows &rows) {
        for (int r = 0; r < rows.size(); ++r) {
            Message m = readMessage(rows, r, 0);
            found.insert({m.senderId, m.clientMsgId}, m);
        }
    };
    if (db.dialect() == Dialect::Postgres) {
        std::vector<qint64> senders;
        QList<QString> ids;
        for (const PendingSend &s : sends) {
            senders.push_back(s.senderId);
            ids << s.clientMsgId;
        }
        collect(db.query(QStringLiteral("batch_find_existing"), {pgIntArray(senders), pgTextArray(ids)}));
    } else {
        for (const PendingSend &s : sends)
            collect(db.query(QStringLiteral("batch_find_existing"), {s.senderId, s.clientMsgId}));
    }
    return found;
}

std::map<qint64, qint64> lastSeqs(Db &db, const std::vector<qint64> &conversations)
{
    std::map<qint64, qint64> out;
    auto collect = [&](const DbRows &rows) {
        for (int r = 0; r < rows.size(); ++r)
            out[rows.int64(r, 0)] = rows.int64(r, 1);
    };
    if (db.dialect() == Dialect::Postgres) {
        collect(db.query(QStringLiteral("batch_last_seqs"), {pgIntArray(conversations)}));
    } else {
        for (qint64 id : conversations)
            collect(db.query(QStringLiteral("batch_last_seqs"), {id}));
    }
    return out;
}

void insertMessages(Db &db, const std::vector<Message> &rows)
{
    if (db.dialect() == Dialect::Postgres) {
        std::vector<qint64> ids, convs, seqs, senders, times;
        QList<QString> clientIds, bodies;
        for (const Message &m : rows) {
            ids.push_back(m.id);
            convs.push_back(m.conversationId);
            seqs.push_back(m.seq);
            senders.push_back(m.senderId);
            clientIds << m.clientMsgId;
            bodies << m.body;
            times.push_back(m.createdAtMs);
        }
        db.query(QStringLiteral("batch_insert_messages"),
                 {pgIntArray(ids), pgIntArray(convs), pgIntArray(seqs), pgIntArray(senders),
                  pgTextArray(clientIds), pgTextArray(bodies), pgIntArray(times)});
        return;
    }
    for (const Message &m : rows)
        db.query(QStringLiteral("batch_insert_messages"),
                 {m.id, m.conversationId, m.seq, m.senderId, m.clientMsgId, m.body, m.createdAtMs});
}

struct ConversationAdvance
{
    qint64 lastSeq = 0;
    qint64 lastMessageId = 0;
};

void advanceConversations(Db &db, const std::map<qint64, ConversationAdvance> &advances,
                          qint64 nowMs)
{
    if (db.dialect() == Dialect::Postgres) {
        std::vector<qint64> ids, seqs, mids;
        for (const auto &[id, a] : advances) {
            ids.push_back(id);
            seqs.push_back(a.lastSeq);
            mids.push_back(a.lastMessageId);
        }
        db.query(QStringLiteral("batch_update_conversations"),
                 {pgIntArray(ids), pgIntArray(seqs), pgIntArray(mids), nowMs});
        return;
    }
    for (const auto &[id, a] : advances)
        db.query(QStringLiteral("batch_update_conversations"), {id, a.lastSeq, a.lastMessageId, nowMs});
}

} // namespace

std::vector<StoredSend> storeMessageBatch(Db &db, const std::vector<PendingSend> &sends,
                                          qint64 nowMs)
{
    std::vector<StoredSend> results(sends.size());
    if (sends.empty())
        return results;

    Transaction tx(db);
    const qint64 base = db.query(QStringLiteral("batch_lock_counter")).int64(0, 0);
    const QHash<Key, Message> existing = findExisting(db, sends);

    // Which sends are new; a repeat inside the batch points at its first.
    std::vector<int> firstOf(sends.size(), -1);
    QHash<Key, int> seenInBatch;
    std::vector<qint64> conversations;
    for (size_t i = 0; i < sends.size(); ++i) {
        const Key key{sends[i].senderId, sends[i].clientMsgId};
        if (auto it = existing.constFind(key); it != existing.constEnd()) {
            results[i] = {true, *it};
            continue;
        }
        if (auto it = seenInBatch.constFind(key); it != seenInBatch.constEnd()) {
            firstOf[i] = *it;
            continue;
        }
        seenInBatch.insert(key, int(i));
        firstOf[i] = int(i);
        conversations.push_back(sends[i].conversationId);
    }

    if (!conversations.empty()) {
        std::sort(conversations.begin(), conversations.end());
        conversations.erase(std::unique(conversations.begin(), conversations.end()),
                            conversations.end());
        std::map<qint64, qint64> seqs = lastSeqs(db, conversations);
        std::map<qint64, ConversationAdvance> advances;
        std::vector<Message> rows;
        qint64 nextId = base;
        for (size_t i = 0; i < sends.size(); ++i) {
            if (firstOf[i] != int(i))
                continue;
            const PendingSend &s = sends[i];
            Message m;
            m.id = ++nextId;
            m.conversationId = s.conversationId;
            m.seq = ++seqs[s.conversationId];
            m.senderId = s.senderId;
            m.clientMsgId = s.clientMsgId;
            m.body = s.body;
            m.createdAtMs = nowMs;
            advances[m.conversationId] = {m.seq, m.id};
            results[i] = {false, m};
            rows.push_back(m);
        }
        insertMessages(db, rows);
        advanceConversations(db, advances, nowMs);
        db.query(QStringLiteral("batch_set_counter"), {nextId});
    }
    tx.commit();

    for (size_t i = 0; i < sends.size(); ++i) {
        if (firstOf[i] >= 0 && firstOf[i] != int(i))
            results[i] = {true, results[size_t(firstOf[i])].message};
    }
    return results;
}

} // namespace sanayicin::store
