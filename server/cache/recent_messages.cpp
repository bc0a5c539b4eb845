#include "recent_messages.h"

#include "bridge/bridge.h"
#include "threading/reply_to.h"

#include <QMetaObject>
#include <hiredis/hiredis.h>

namespace sanayicin {

namespace {

QByteArray encode(const CachedMessage &m)
{
    return QByteArray::number(m.seq) + '|' + QByteArray::number(m.id) + '|' + m.json;
}

std::optional<CachedMessage> decode(const char *data, size_t size)
{
    const QByteArray entry(data, qsizetype(size));
    const qsizetype a = entry.indexOf('|');
    const qsizetype b = a < 0 ? -1 : entry.indexOf('|', a + 1);
    if (b < 0)
        return std::nullopt;
    CachedMessage m;
    m.seq = entry.left(a).toLongLong();
    m.id = entry.mid(a + 1, b - a - 1).toLongLong();
    m.json = entry.mid(b + 1);
    return m;
}

CachedMessage fromMessage(const Message &m)
{
    return {m.id, m.seq, messageJson(m)};
}

void appendTo(CachedList &list, const CachedMessage &m)
{
    if (!list.isEmpty() && m.seq != list.last().seq + 1) {
        if (m.seq <= list.last().seq)
            return; // already there
        list.clear(); // a gap: start again from this one
    }
    list.push_back(m);
    if (list.size() > RecentMessages::kKeep)
        list.remove(0, list.size() - RecentMessages::kKeep);
}

} // namespace

std::optional<CachedList> newestFromCache(const CachedList &cached, qint64 lastMessageId, int limit)
{
    if (cached.isEmpty() || cached.last().id != lastMessageId)
        return std::nullopt;
    if (cached.size() < limit && cached.first().seq != 1)
        return std::nullopt;
    return cached.mid(std::max<qsizetype>(0, cached.size() - limit));
}

std::optional<CachedList> afterFromCache(const CachedList &cached, qint64 lastMessageId, qint64 afterId)
{
    if (cached.isEmpty() || cached.last().id != lastMessageId)
        return std::nullopt;
    // Complete only if the list reaches back to (or past) afterId, or to the
    // conversation's first message.
    if (cached.first().id > afterId && cached.first().seq != 1)
        return std::nullopt;
    CachedList out;
    for (const CachedMessage &m : cached)
        if (m.id > afterId)
            out.push_back(m);
    return out;
}

void RecentMessages::get(QObject *home, const QList<qint64> &conversations, Found done)
{
    if (askedElsewhere(home)) {
        QMetaObject::invokeMethod(
            home,
            [this, home, conversations, done = std::move(done)]() mutable {
                getHere(home, conversations, std::move(done));
            },
            Qt::QueuedConnection);
        return;
    }
    getHere(home, conversations, std::move(done));
}

void RecentMessages::drop(qint64 conversationId, QObject *home, std::function<void()> done)
{
    if (askedElsewhere(home)) {
        QMetaObject::invokeMethod(
            home,
            [this, conversationId, home, done = std::move(done)]() mutable {
                dropHere(conversationId, home, std::move(done));
            },
            Qt::QueuedConnection);
        return;
    }
    dropHere(conversationId, home, std::move(done));
}

// ---- in this process ---------------------------------------------------------

void LocalRecentMessages::getHere(QObject *, const QList<qint64> &conversations, Found done)
{
    Found_ out;
    {
        QMutexLocker lock(&m_mutex);
        for (qint64 c : conversations) {
            if (auto it = m_lists.constFind(c); it != m_lists.constEnd())
                out.lists.insert(c, *it);
            out.generations.insert(c, m_generations.value(c, 0));
        }
    }
    done(std::move(out));
}

void LocalRecentMessages::append(const MessageBatch &batch)
{
    QMutexLocker lock(&m_mutex);
    for (const auto &d : batch) {
        if (m_lists.size() >= m_max && !m_lists.contains(d->message.conversationId))
            m_lists.clear(); // crude bound; entries come back on demand
        appendTo(m_lists[d->message.conversationId], {d->message.id, d->message.seq, d->json});
    }
}

void LocalRecentMessages::fill(qint64 conversationId, qint64 generation,
                               const QList<Message> &newest)
{
    if (newest.isEmpty())
        return;
    QMutexLocker lock(&m_mutex);
    if (m_generations.value(conversationId, 0) != generation)
        return; // dropped since the database was read
    CachedList &list = m_lists[conversationId];
    if (!list.isEmpty() && list.last().seq >= newest.last().seq)
        return; // what we hold is as new
    list.clear();
    for (const Message &m : newest)
        appendTo(list, fromMessage(m));
}

void LocalRecentMessages::dropHere(qint64 conversationId, QObject *, std::function<void()> done)
{
    {
        QMutexLocker lock(&m_mutex);
        m_lists.remove(conversationId);
        ++m_generations[conversationId];
    }
    if (done)
        done();
}

// ---- in Redis -------------------------------------------------------------------

RedisRecentMessages::RedisRecentMessages(Bridge &bridge, QObject *parent)
    : QObject(parent), m_bridge(bridge)
{}

void RedisRecentMessages::getHere(QObject *home, const QList<qint64> &conversations, Found done)
{
    QMetaObject::invokeMethod(
        this,
        [this, reply = ReplyTo(home), conversations, done = std::move(done)]() mutable {
            QList<QByteArray> args;
            for (qint64 c : conversations)
                args << QByteArray::number(c);
            auto answer = [reply, conversations, done](redisReply *r) {
                Found_ out;
                if (r && r->type == REDIS_REPLY_ARRAY && r->elements == size_t(conversations.size())) {
                    for (size_t i = 0; i < r->elements; ++i) {
                        const redisReply *pair = r->element[i];
                        if (pair->type != REDIS_REPLY_ARRAY || pair->elements != 2)
                            continue;
                        const qint64 conv = conversations[qsizetype(i)];
                        const redisReply *gen = pair->element[0];
                        if (gen->type == REDIS_REPLY_STRING)
                            out.generations.insert(conv, QByteArray(gen->str, qsizetype(gen->len)).toLongLong());
                        const redisReply *list = pair->element[1];
                        CachedList entries;
                        for (size_t j = 0; list->type == REDIS_REPLY_ARRAY && j < list->elements; ++j)
                            if (auto m = decode(list->element[j]->str, list->element[j]->len))
                                entries.push_back(*m);
                        if (!entries.isEmpty())
                            out.lists.insert(conv, entries);
                    }
                } else {
                    // Not answered: a miss, and no generation to fill under.
                    for (qint64 c : conversations)
                        out.generations.insert(c, -1);
                }
                // A failed look-up is a miss: the caller reads the database.
                reply.post([done, out] { done(out); });
            };
            if (!m_bridge.scripts().run(QStringLiteral("recent_get"), args, answer))
                answer(nullptr);
        },
        Qt::QueuedConnection);
}

void RedisRecentMessages::append(const MessageBatch &batch)
{
    QList<QByteArray> args{QByteArray::number(kKeep)};
    for (const auto &d : batch)
        args << QByteArray::number(d->message.conversationId) << QByteArray::number(d->message.seq)
             << encode({d->message.id, d->message.seq, d->json});
    m_bridge.scripts().run(QStringLiteral("recent_append"), args, {});
}

void RedisRecentMessages::fill(qint64 conversationId, qint64 generation,
                               const QList<Message> &newest)
{
    if (generation < 0)
        return;
    QList<QByteArray> args{QByteArray::number(conversationId), QByteArray::number(generation),
                           QByteArray::number(kKeep)};
    for (const Message &m : newest)
        args << encode(fromMessage(m));
    QMetaObject::invokeMethod(
        this, [this, args] { m_bridge.scripts().run(QStringLiteral("recent_fill"), args, {}); },
        Qt::QueuedConnection);
}

void RedisRecentMessages::dropHere(qint64 conversationId, QObject *home, std::function<void()> done)
{
    QMetaObject::invokeMethod(
        this,
        [this, conversationId, reply = ReplyTo(home), done = std::move(done)] {
            auto answer = [reply, done](redisReply *) {
                // Also when Redis is away: its lists then end with their TTL
                // and nothing fills them meanwhile from this instance.
                if (done)
                    reply.post(done);
            };
            if (!m_bridge.scripts().run(QStringLiteral("recent_drop"),
                                        {QByteArray::number(conversationId)}, answer))
                answer(nullptr);
        },
        Qt::QueuedConnection);
}

} // namespace sanayicin
