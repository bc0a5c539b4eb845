#pragma once

#include "caller.h"
#include "chat_deps.h"
#include "outcome.h"

#include <QByteArray>
#include <QList>
#include <functional>
#include <optional>

namespace sanayicin::chat {

// Reading stored messages: a conversation's history (HTTP) and sync after
// reconnecting (WebSocket). Both try the recent-messages cache first,
// checked against the database's newest id, and fall back to the full
// query: a stale cache costs time, never a wrong answer.
class MessageReader
{
public:
    explicit MessageReader(ChatDeps &deps) : m_deps(deps) {}

    struct Item
    {
        qint64 id = 0;
        QByteArray json; // the Message object, as every reader gets it
    };
    struct Page
    {
        QList<Item> items; // ascending by id
        bool hasMore = false;
    };
    using PageDone = std::function<void(Outcome<Page>)>;

    // Messages of every conversation of the user with an id above
    // `afterId`, oldest first, at most `limit`.
    void sync(const Caller &caller, qint64 userId, qint64 afterId, int limit, PageDone done);

    struct HistoryRequest
    {
        qint64 userId = 0;
        qint64 conversationId = 0;
        std::optional<qint64> beforeId;
        std::optional<qint64> afterId;
        int limit = 0;
    };
    // A page of one conversation of the user's (not_found otherwise).
    void history(const Caller &caller, const HistoryRequest &request, PageDone done);

private:
    void syncFromDatabase(const Caller &caller, qint64 userId, qint64 afterId, int limit,
                          PageDone done);
    void newestPage(const Caller &caller, const HistoryRequest &request, PageDone done);

    ChatDeps &m_deps;
};

} // namespace sanayicin::chat
