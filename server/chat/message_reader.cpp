#include "message_reader.h"

#include "cache/recent_messages.h"
#include "db_outcome.h"
#include "storage/membership_cache.h"
#include "storage/message_store.h"

#include <algorithm>

namespace sanayicin::chat {

namespace {

MessageReader::Page fromStore(const store::MessagePage &stored)
{
    MessageReader::Page page;
    page.hasMore = stored.hasMore;
    page.items.reserve(stored.items.size());
    for (const Message &m : stored.items)
        page.items.push_back({m.id, messageJson(m)});
    return page;
}

MessageReader::Page fromCache(const CachedList &cached, bool hasMore)
{
    MessageReader::Page page;
    page.hasMore = hasMore;
    page.items.reserve(cached.size());
    for (const CachedMessage &m : cached)
        page.items.push_back({m.id, m.json});
    return page;
}

ApiError noSuchConversation()
{
    return ApiError::notFound(QStringLiteral("no such conversation"));
}

} // namespace

// Which conversations have anything new: one cheap query. Most reconnecting
// clients have nothing or a few messages to catch up on, and those usually
// come from the recent-messages cache.
void MessageReader::sync(const Caller &caller, qint64 userId, qint64 afterId, int limit,
                         PageDone done)
{
    readOutcome<QHash<qint64, qint64>>(
        m_deps.readers, caller, "sync",
        [userId, afterId](Db &db) { return store::syncHeads(db, userId, afterId); },
        [this, caller, userId, afterId, limit, done](Outcome<QHash<qint64, qint64>> heads) {
            if (!heads.ok()) {
                done(heads.error());
                return;
            }
            if (heads.value().isEmpty()) {
                done(Page{});
                return;
            }
            m_deps.recent.get(
                caller.home, heads.value().keys(),
                [this, caller, ref = CallerRef(caller), heads = heads.value(), userId, afterId,
                 limit, done](RecentMessages::Found_ found) {
                    if (!ref.live())
                        return;
                    CachedList all;
                    for (auto it = heads.cbegin(); it != heads.cend(); ++it) {
                        auto part = afterFromCache(found.lists.value(it.key()), it.value(), afterId);
                        if (!part) {
                            syncFromDatabase(caller, userId, afterId, limit, done);
                            return;
                        }
                        all += *part;
                    }
                    std::sort(all.begin(), all.end(), [](const CachedMessage &a, const CachedMessage &b) {
                        return a.id < b.id;
                    });
                    const bool hasMore = all.size() > limit;
                    if (hasMore)
                        all.resize(limit);
                    done(fromCache(all, hasMore));
                });
        });
}

void MessageReader::syncFromDatabase(const Caller &caller, qint64 userId, qint64 afterId, int limit,
                                     PageDone done)
{
    readOutcome<Page>(
        m_deps.readers, caller, "sync",
        [userId, afterId, limit](Db &db) -> Outcome<Page> {
            return fromStore(store::syncMessages(db, userId, afterId, limit));
        },
        std::move(done));
}

void MessageReader::history(const Caller &caller, const HistoryRequest &request, PageDone done)
{
    if (!request.beforeId && !request.afterId && request.limit <= RecentMessages::kKeep) {
        newestPage(caller, request, std::move(done));
        return;
    }
    MembershipCache &members = m_deps.members;
    readOutcome<Page>(
        m_deps.readers, caller, "history",
        [request, &members](Db &db) -> Outcome<Page> {
            const auto m = members.load(db, request.conversationId);
            if (!m || !m->contains(request.userId))
                return noSuchConversation();
            return fromStore(store::history(db, request.conversationId, request.beforeId,
                                            request.afterId, request.limit));
        },
        std::move(done));
}

// The newest page (what opening a conversation asks for): from the recent-
// messages cache when it is current, checked against the conversation's
// newest id; else from the database, which then refills the cache.
void MessageReader::newestPage(const Caller &caller, const HistoryRequest &request, PageDone done)
{
    MembershipCache &members = m_deps.members;
    const qint64 conv = request.conversationId;
    const int limit = request.limit;
    readOutcome<qint64>(
        m_deps.readers, caller, "history",
        [userId = request.userId, conv, &members](Db &db) -> Outcome<qint64> {
            const auto m = members.load(db, conv);
            if (!m || !m->contains(userId))
                return noSuchConversation();
            return store::lastMessageIdOf(db, conv).value_or(0);
        },
        [this, caller, conv, limit, done](Outcome<qint64> lastId) {
            if (!lastId.ok()) {
                done(lastId.error());
                return;
            }
            if (lastId.value() == 0) {
                done(Page{});
                return;
            }
            m_deps.recent.get(
                caller.home, {conv},
                [this, caller, ref = CallerRef(caller), conv, limit, lastId = lastId.value(),
                 done](RecentMessages::Found_ found) {
                    if (!ref.live())
                        return;
                    if (auto page = newestFromCache(found.lists.value(conv), lastId, limit)) {
                        done(fromCache(*page, page->first().seq > 1));
                        return;
                    }
                    RecentMessages &recent = m_deps.recent;
                    const qint64 generation = found.generations.value(conv, -1);
                    readOutcome<Page>(
                        m_deps.readers, caller, "history",
                        [conv, limit, generation, &recent](Db &db) -> Outcome<Page> {
                            store::MessagePage page = store::history(db, conv, {}, {}, limit);
                            recent.fill(conv, generation, page.items);
                            return fromStore(page);
                        },
                        done);
                });
        });
}

} // namespace sanayicin::chat
