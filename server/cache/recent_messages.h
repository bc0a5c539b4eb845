#pragma once

#include "protocol/delivered_message.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMutex>
#include <QObject>
#include <functional>
#include <optional>

namespace sanayicin {

class Bridge;

// One cached message: its place and the JSON every reader gets.
struct CachedMessage
{
    qint64 id = 0;
    qint64 seq = 0;
    QByteArray json;
};
using CachedList = QList<CachedMessage>; // consecutive seqs, oldest first

// The newest messages of each active conversation, for the history and sync
// hot paths. Entries may be stale or missing; readers check them against the
// conversation's last message id from the database (one primary-key read)
// and fall back to the full query, so a stale cache costs time, never
// correctness.
class RecentMessages
{
public:
    static constexpr int kKeep = 100; // per conversation

    // The lists found, and each conversation's generation: it moves when a
    // list is dropped, and a fill must hand back the one it was read under.
    struct Found_
    {
        QHash<qint64, CachedList> lists;
        QHash<qint64, qint64> generations;
    };
    using Found = std::function<void(Found_)>;

    virtual ~RecentMessages() = default;
    // `done` runs on `home`'s thread if `home` still lives then (right away
    // when in this process, else through that thread's mailbox). Called
    // from another thread, the call is queued to `home`'s thread first.
    void get(QObject *home, const QList<qint64> &conversations, Found done);
    // Committed messages, in commit order (the delivery thread calls this).
    virtual void append(const MessageBatch &batch) = 0;
    // The newest messages of a conversation, read from the database.
    virtual void fill(qint64 conversationId, qint64 generation,
                      const QList<Message> &newestOldestFirst) = 0;
    // A message changed: the list goes, fills under way are refused; `done`
    // runs on `home`'s thread, as for get(), once readers can no longer see
    // the old list.
    void drop(qint64 conversationId, QObject *home, std::function<void()> done);

protected:
    // The same, called on `home`'s thread.
    virtual void getHere(QObject *home, const QList<qint64> &conversations, Found done) = 0;
    virtual void dropHere(qint64 conversationId, QObject *home, std::function<void()> done) = 0;
};

// The newest `limit` messages if `cached` can tell them: it must end at the
// conversation's last message and hold `limit` of them or start at seq 1.
std::optional<CachedList> newestFromCache(const CachedList &cached, qint64 lastMessageId, int limit);
// Every message with an id above `afterId`, if `cached` holds them all.
std::optional<CachedList> afterFromCache(const CachedList &cached, qint64 lastMessageId, qint64 afterId);

// Alone: a map in this process, fed by the delivery thread.
class LocalRecentMessages final : public RecentMessages
{
public:
    explicit LocalRecentMessages(qsizetype maxConversations = 20000) : m_max(maxConversations) {}

    void append(const MessageBatch &batch) override;
    void fill(qint64 conversationId, qint64 generation,
              const QList<Message> &newestOldestFirst) override;

private:
    void getHere(QObject *home, const QList<qint64> &conversations, Found done) override;
    void dropHere(qint64 conversationId, QObject *home, std::function<void()> done) override;

    QMutex m_mutex;
    QHash<qint64, CachedList> m_lists;
    QHash<qint64, qint64> m_generations; // only conversations ever dropped
    qsizetype m_max;
};

// With Redis: lists every instance shares, written by the instance that
// committed the messages (scripts keep each list gapless).
class RedisRecentMessages final : public QObject, public RecentMessages
{
    Q_OBJECT
public:
    RedisRecentMessages(Bridge &bridge, QObject *parent);

    void append(const MessageBatch &batch) override; // on the delivery thread only
    void fill(qint64 conversationId, qint64 generation,
              const QList<Message> &newestOldestFirst) override;

private:
    // Answers go through the asking thread's mailbox: the delivery thread
    // never touches `home`.
    void getHere(QObject *home, const QList<qint64> &conversations, Found done) override;
    void dropHere(qint64 conversationId, QObject *home, std::function<void()> done) override;

    Bridge &m_bridge;
};

} // namespace sanayicin
