#pragma once

#include "caller.h"
#include "chat_deps.h"
#include "outcome.h"
#include "protocol/moderation_objects.h"

#include <QList>
#include <QString>
#include <functional>

namespace sanayicin {
class Db;
}

namespace sanayicin::chat {

// What administrators do to users, messages and reports, and users' reports
// of messages. Every action spends the administrator's own budget first
// (--admin-rate/--admin-burst), writes its moderation log entry in the same
// transaction as the change, and is told to the admin streams (AdminEvents).
class Moderation
{
public:
    explicit Moderation(ChatDeps &deps) : m_deps(deps) {}

    using StatusDone = std::function<void(Status)>;
    using ReportDone = std::function<void(Outcome<qint64>)>; // the report's id

    // Ends every session of the user, closes their WebSockets everywhere and
    // takes a tradesman out of the directory.
    void ban(const Caller &caller, qint64 actorId, qint64 targetId, const QString &reason,
             StatusDone done);
    void unban(const Caller &caller, qint64 actorId, qint64 targetId, StatusDone done);
    // Closes the user's WebSockets (they may reconnect).
    void kick(const Caller &caller, qint64 actorId, qint64 targetId, StatusDone done);
    // The message's body goes; both participants hear of it.
    void deleteMessage(const Caller &caller, qint64 actorId, qint64 messageId, StatusDone done);
    // A participant reports a message of their conversation.
    void report(const Caller &caller, qint64 userId, qint64 messageId, const QString &reason,
                ReportDone done);

    // Resolves an open report as "dismissed" or "actioned": conflict when
    // it was resolved already, not_found without it.
    using ResolvedDone = std::function<void(Outcome<Report>)>;
    void resolve(const Caller &caller, qint64 actorId, qint64 reportId, const QString &resolution,
                 const QString &note, ResolvedDone done);

    // The reported message with `before` older and `after` newer ones of its
    // conversation: the only way an administrator reads a conversation, and
    // logged as "read_context".
    struct Context
    {
        Report report;
        QList<Message> messages; // oldest first
        QList<User> participants;
    };
    using ContextDone = std::function<void(Outcome<Context>)>;
    void context(const Caller &caller, qint64 actorId, qint64 reportId, qint64 before,
                 qint64 after, ContextDone done);

    // Listings (no budget of their own beyond the per-user HTTP one).
    template<typename T>
    struct Page
    {
        QList<T> items;
        qint64 total = 0;
    };
    enum class ReportState { Open, Resolved, All };
    using ReportsDone = std::function<void(Outcome<Page<Report>>)>;
    void reports(const Caller &caller, ReportState state, qint64 limit, qint64 offset,
                 ReportsDone done);

    struct UserQuery
    {
        QString text;   // as typed; folded here
        QString role;   // empty: any
        QString banned; // "true", "false", empty: any
        qint64 limit = 50;
        qint64 offset = 0;
    };
    using UsersDone = std::function<void(Outcome<Page<AdminUser>>)>;
    void users(const Caller &caller, const UserQuery &query, UsersDone done);

    struct LogQuery
    {
        qint64 actorId = 0;  // 0: any
        qint64 targetId = 0; // 0: any
        QString action;      // empty: any
        qint64 limit = 50;
        qint64 offset = 0;
    };
    using LogDone = std::function<void(Outcome<Page<LogEntry>>)>;
    // With `targetMustExist`, not_found when there is no such target user.
    void log(const Caller &caller, const LogQuery &query, bool targetMustExist, LogDone done);

    // Every action the moderation log names.
    static const QList<QString> &actions();

private:
    // Runs `then` once the administrator's budget had a token; else `done`
    // gets rate_limited.
    template<typename Done>
    void spendAdminBudget(const Caller &caller, qint64 actorId, Done done,
                          std::function<void()> then);
    // Tells the admin streams of a new log entry (on a database thread,
    // after the commit).
    void announce(Db &db, qint64 logId);

    ChatDeps &m_deps;
};

} // namespace sanayicin::chat
