#pragma once

#include "accounts.h"
#include "caller.h"
#include "chat_deps.h"
#include "outcome.h"

#include <QByteArray>
#include <QString>
#include <functional>

namespace sanayicin::chat {

// Whether a request may go on: the per-address and per-user budgets every
// HTTP request spends, who a bearer token belongs to, and the budget for
// new WebSockets. The transports ask before any use case runs.
class Admission
{
public:
    Admission(ChatDeps &deps, Accounts &accounts) : m_deps(deps), m_accounts(accounts) {}

    using StatusDone = std::function<void(Status)>;
    using UserDone = std::function<void(Outcome<AuthUser>)>;

    // One request from `address` (the operations listener has budgets of
    // its own). `done` runs on the caller's thread while it listens.
    void request(const Caller &caller, const QString &address, bool operations, StatusDone done);

    // The user of an `Authorization: Bearer` header, once the user's
    // budget had room: unauthorized without a token or with one that is
    // not (or no longer) valid, unavailable when it cannot be checked now.
    void authenticate(const Caller &caller, const QByteArray &authorizationHeader, UserDone done);

    // A new WebSocket from `address`, decided at once from this instance's
    // own buckets (the upgrade is answered synchronously).
    Status openWebSocket(const QString &address);

private:
    void spendUserBudget(const Caller &caller, const AuthUser &user, UserDone done);

    ChatDeps &m_deps;
    Accounts &m_accounts;
};

} // namespace sanayicin::chat
