#include "accounts.h"

#include "auth/authenticator.h"
#include "auth/password_hasher.h"
#include "auth/session_cache.h"
#include "auth/tokens.h"
#include "budgets.h"
#include "cache/directory_cache.h"
#include "db_outcome.h"
#include "delivery/hub.h"
#include "storage/account_store.h"
#include "storage/directory_store.h"
#include "text/text_rules.h"
#include "threading/mailbox.h"
#include "time/clock.h"

#include <memory>

namespace sanayicin::chat {

namespace {

constexpr int kUnauthorizedClose = 4001;

ApiError wrongPassword()
{
    return ApiError::unauthorized(QStringLiteral("wrong username or password"));
}

ApiError banned()
{
    return ApiError::forbidden(QStringLiteral("this account is banned"));
}

// Runs `work` on the hash pool, then `then` on the caller's thread (its
// mailbox), while the caller listens. False when the pool's queue is full:
// then `busy` is the answer.
bool onHasher(PasswordHasher &hasher, const Caller &caller, const Accounts::Client &client,
              std::function<void()> work, std::function<void()> then)
{
    return hasher.tryRun(
        client.address.toUtf8(),
        [home = Mailbox::here(), ref = CallerRef(caller), work = std::move(work),
         then = std::move(then)] {
            work();
            home->post([ref, then] {
                if (ref.live())
                    then();
            });
        },
        client.stillWanted);
}

ApiError hasherBusy(const PasswordHasher &hasher)
{
    return {ErrorCode::Unavailable,
            QStringLiteral("too many logins and registrations at once; try again"),
            int(hasher.retryAfterMs())};
}

} // namespace

// Registration, step by step: budget, hash, one transaction, directory.
struct Accounts::Registration : std::enable_shared_from_this<Registration>
{
    ChatDeps &deps;
    Caller caller;
    CallerRef ref;
    Client client;
    RegisterRequest request;
    SessionDone done;
    QString hash;

    Registration(ChatDeps &d, const Caller &c, Client cl, RegisterRequest r, SessionDone dn)
        : deps(d), caller(c), ref(c), client(std::move(cl)), request(std::move(r)), done(std::move(dn))
    {}

    void start()
    {
        // Registration spends a hash too: its own budget per client address.
        auto self = shared_from_this();
        spendBudgets(deps, caller,
                     {{"register:a:" + client.address.toUtf8(), &deps.settings.registerRule.get()}},
                     QStringLiteral("too many registrations; wait a little"),
                     [self] { self->hashPassword(); }, done);
    }

    void hashPassword()
    {
        auto self = shared_from_this();
        if (!onHasher(deps.hasher, caller, client,
                      [self] { self->hash = self->deps.hasher.hash(self->request.password); },
                      [self] { self->store(); }))
            done(hasherBusy(deps.hasher));
    }

    void store()
    {
        auto self = shared_from_this();
        readOutcome<Session>(
            deps.readers, caller, "register",
            [self](Db &db) { return self->insert(db); },
            [self](Outcome<Session> s) { self->stored(std::move(s)); });
    }

    // On the read pool: the account, its profile and first session commit
    // together or not at all.
    Outcome<Session> insert(Db &db)
    {
        const qint64 ttl = deps.settings.tokenTtlMs;
        const qint64 now = nowMs();
        const QString token = generateToken();
        const quint64 ticket = deps.sessions.ticket();
        Transaction tx(db);
        Outcome<User> created = createAccount(db, request.username, request.displayName,
                                              request.role, hash, now);
        if (!created.ok())
            return created.error(); // the transaction rolls back
        const User user = created.value();
        store::insertSession(db, hashToken(token), user.id, now, now + ttl);
        tx.commit();
        // The client's WebSocket usually follows at once.
        deps.sessions.put({user, hashToken(token), now + ttl}, ticket, now);
        return Session{token, user};
    }

    void stored(Outcome<Session> session)
    {
        // A new tradesman is listed from now on: the answer waits for that.
        if (!session.ok() || request.role != Role::Tradesman) {
            done(std::move(session));
            return;
        }
        auto self = shared_from_this();
        deps.directory.invalidate(caller.home, [self, session = std::move(session)] {
            if (self->ref.live())
                self->done(session);
        });
    }
};

// Login, step by step: budgets, the user, the password, a session.
struct Accounts::Login : std::enable_shared_from_this<Login>
{
    ChatDeps &deps;
    Caller caller;
    CallerRef ref;
    Client client;
    LoginRequest request;
    SessionDone done;
    quint64 ticket = 0;
    std::optional<store::UserRecord> record;
    bool passwordOk = false;

    Login(ChatDeps &d, const Caller &c, Client cl, LoginRequest r, SessionDone dn)
        : deps(d), caller(c), ref(c), client(std::move(cl)), request(std::move(r)), done(std::move(dn))
    {}

    void start()
    {
        // No account can have a name outside the username rule (registration
        // and `user create` both check it), so such a login costs no hash and
        // no budget: the answer is the same 401 and says nothing about anyone.
        if (!isValidUsername(request.username)) {
            done(wrongPassword());
            return;
        }
        // Three budgets: per client address whatever the username (made-up
        // names do not get around it), per account whatever the address, and
        // the contract's per pair.
        const QByteArray address = client.address.toUtf8();
        const QByteArray username = request.username.toUtf8();
        const ChatSettings &s = deps.settings;
        auto self = shared_from_this();
        spendBudgets(deps, caller,
                     {{"login:a:" + address, &s.loginAddressRule.get()},
                      {"login:u:" + username, &s.loginAccountRule.get()},
                      {"login:" + address + '|' + username, &s.loginRule.get()}},
                     QStringLiteral("too many login attempts; wait a little"),
                     [self] { self->readUser(); }, done);
    }

    void readUser()
    {
        // Taken before the user is read: a ban (or logout) recorded after this
        // keeps the new session out of the cache (see SessionCache::put).
        ticket = deps.sessions.ticket();
        auto self = shared_from_this();
        readOutcome<std::optional<store::UserRecord>>(
            deps.readers, caller, "login",
            [username = request.username](Db &db) -> Outcome<std::optional<store::UserRecord>> {
                return store::userByUsername(db, username);
            },
            [self](Outcome<std::optional<store::UserRecord>> r) {
                if (!r.ok()) {
                    self->done(r.error());
                    return;
                }
                self->record = std::move(r.value());
                self->verify();
            });
    }

    void verify()
    {
        auto self = shared_from_this();
        if (!onHasher(deps.hasher, caller, client, [self] { self->check(); },
                      [self] { self->verified(); }))
            done(hasherBusy(deps.hasher));
    }

    // On the hash pool. An unknown user costs the same time as a known one.
    void check()
    {
        if (record)
            passwordOk = deps.hasher.verify(record->passwordHash, request.password);
        else
            deps.hasher.verifyDummy(request.password);
    }

    void verified()
    {
        if (!passwordOk) {
            done(wrongPassword());
            return;
        }
        if (record->banned) {
            done(banned());
            return;
        }
        auto self = shared_from_this();
        readOutcome<Session>(deps.readers, caller, "login",
                             [self](Db &db) { return self->createSession(db); }, done);
    }

    // On the read pool. Inserted only if the user is still not banned: a
    // ban that commits during the password check wins.
    Outcome<Session> createSession(Db &db)
    {
        const qint64 ttl = deps.settings.tokenTtlMs;
        const qint64 now = nowMs();
        const QString token = generateToken();
        const User &user = record->user;
        if (!store::insertSession(db, hashToken(token), user.id, now, now + ttl))
            return banned();
        deps.sessions.put({user, hashToken(token), now + ttl}, ticket, now);
        return Session{token, user};
    }
};

void Accounts::registerUser(const Caller &caller, const Client &client,
                            const RegisterRequest &request, SessionDone done)
{
    std::make_shared<Registration>(m_deps, caller, client, request, std::move(done))
        ->start();
}

void Accounts::login(const Caller &caller, const Client &client, const LoginRequest &request,
                     SessionDone done)
{
    std::make_shared<Login>(m_deps, caller, client, request, std::move(done))
        ->start();
}

Outcome<User> Accounts::createAccount(Db &db, const QString &username, const QString &displayName,
                                      Role role, const QString &passwordHash, qint64 nowMs)
{
    User user{0, username, displayName, role, nowMs};
    try {
        user.id = store::insertUser(db, username, displayName, role, passwordHash, nowMs);
    } catch (const DbError &e) {
        if (e.kind() != DbError::Kind::UniqueViolation)
            throw;
        return ApiError::conflict(QStringLiteral("that username is taken"));
    }
    if (role == Role::Tradesman)
        store::createEmptyProfile(db, user.id, nowMs);
    return user;
}

QString Accounts::bearerToken(const QByteArray &authorizationHeader)
{
    return sanayicin::bearerToken(authorizationHeader);
}

void Accounts::authenticate(const Caller &caller, const QString &token, AuthDone done)
{
    m_deps.auth.authenticate(caller.home, token,
                             [ref = CallerRef(caller), done = std::move(done)](
                                 Authenticator::Outcome outcome, const AuthUser &user) {
                                 if (!ref.live())
                                     return;
                                 switch (outcome) {
                                 case Authenticator::Outcome::Valid:
                                     done(TokenCheck::Valid, user);
                                     return;
                                 case Authenticator::Outcome::Unavailable:
                                     done(TokenCheck::Unavailable, user);
                                     return;
                                 case Authenticator::Outcome::Invalid:
                                     break;
                                 }
                                 done(TokenCheck::Invalid, user);
                             });
}

void Accounts::logout(const Caller &caller, qint64 userId, const QByteArray &tokenHash,
                      StatusDone done)
{
    Hub &hub = m_deps.hub;
    readOutcome<Nothing>(
        m_deps.readers, caller, "logout",
        [tokenHash](Db &db) -> Status {
            store::deleteSession(db, tokenHash);
            return Nothing{};
        },
        [&hub, userId, tokenHash, done](Status s) {
            if (s.ok()) {
                hub.revokeToken(userId, tokenHash);
                hub.closeToken(userId, tokenHash, kUnauthorizedClose, QStringLiteral("logged out"));
            }
            done(s);
        });
}

} // namespace sanayicin::chat
