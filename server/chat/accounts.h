#pragma once

#include "protocol/auth_user.h"
#include "caller.h"
#include "chat_deps.h"
#include "outcome.h"
#include "protocol/http_bodies.h"
#include "protocol/objects.h"

#include <functional>

namespace sanayicin {
class Db;
}

namespace sanayicin::chat {

// Accounts: registration, login, logout. Password work runs on the hash
// pool, whose queue is bounded: past it the answer is `unavailable` with a
// retry time at once. Clients take turns there by address.
class Accounts
{
public:
    explicit Accounts(ChatDeps &deps) : m_deps(deps) {}

    struct Session
    {
        QString token;
        User user;
    };
    using SessionDone = std::function<void(Outcome<Session>)>;
    using StatusDone = std::function<void(Status)>;

    // The token of an `Authorization: Bearer` header.
    static QString bearerToken(const QByteArray &authorizationHeader);
    enum class TokenCheck { Valid, Invalid, Unavailable };
    using AuthDone = std::function<void(TokenCheck, const AuthUser &)>;
    // Who a bearer token belongs to: the session cache, else the database.
    // `done` runs while caller.object exists.
    void authenticate(const Caller &caller, const QString &token, AuthDone done);

    // Who is asking over the network: the client's address (budgets, turns
    // on the hash pool) and whether the answer is still wanted, askable
    // from any thread (hashes for clients that left are skipped).
    struct Client
    {
        QString address;
        std::function<bool()> stillWanted;
    };

    // A new account and its first session, in one transaction.
    void registerUser(const Caller &caller, const Client &client, const RegisterRequest &request,
                      SessionDone done);
    void login(const Caller &caller, const Client &client, const LoginRequest &request,
               SessionDone done);
    // Ends the session of `tokenHash` and closes its WebSockets everywhere.
    void logout(const Caller &caller, qint64 userId, const QByteArray &tokenHash, StatusDone done);

    // The one way an account comes to be, for registration and for
    // `sanayicind user create`: the user's row and, for a tradesman, the
    // empty directory profile, in the caller's transaction on `db`.
    // conflict when the username is taken; other DbErrors are thrown.
    static Outcome<User> createAccount(Db &db, const QString &username, const QString &displayName,
                                       Role role, const QString &passwordHash, qint64 nowMs);

private:
    struct Registration;
    struct Login;

    ChatDeps &m_deps;
};

} // namespace sanayicin::chat
