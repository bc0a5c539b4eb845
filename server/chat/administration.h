#pragma once

#include "caller.h"
#include "chat_deps.h"
#include "delivery/connection_host.h"
#include "outcome.h"
#include "protocol/objects.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <functional>

namespace sanayicin::chat {

// What the console lists for administrators: the instances, this
// instance's connections and queues, the totals (reports: Moderation).
class Administration
{
public:
    explicit Administration(ChatDeps &deps) : m_deps(deps) {}

    // Each instance's summary as it published it (JSON objects), this one's
    // first and fresh; without a bridge (or with it down) this one's only.
    using InstancesDone = std::function<void(Outcome<QList<QByteArray>>)>;
    void instances(const Caller &caller, InstancesDone done);

    struct ConnectionPage
    {
        QString instance;
        QList<ConnectionSummary> items; // by id
        qint64 total = 0;
    };
    using ConnectionsDone = std::function<void(Outcome<ConnectionPage>)>;
    void connections(const Caller &caller, qint64 limit, qint64 offset, ConnectionsDone done);

    struct Queues
    {
        QString instance;
        qint64 writer = 0;    // sends and read cursors waiting for the group commit
        qint64 dbReaders = 0; // reads waiting for a connection
        bool redis = false;
        bool redisConnected = false; // meaningful with redis only
    };
    Queues queues() const;

    struct Stats
    {
        qint64 customers = 0, tradesmen = 0, admins = 0, banned = 0;
        qint64 conversations = 0, messages = 0, messagesLast24h = 0, openReports = 0;
        qint64 connectionsHere = 0, onlineUsersHere = 0;
    };
    using StatsDone = std::function<void(Outcome<Stats>)>;
    void stats(const Caller &caller, StatsDone done);

private:
    ChatDeps &m_deps;
};

} // namespace sanayicin::chat
