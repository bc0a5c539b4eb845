#pragma once

#include "caller.h"
#include "chat_deps.h"
#include "outcome.h"

#include <QString>
#include <functional>

namespace sanayicin::chat {

// What administrators do to users and messages (each logged in the
// moderation log), and users' reports of messages.
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

private:
    ChatDeps &m_deps;
};

} // namespace sanayicin::chat
