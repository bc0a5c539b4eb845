// POST /auth/register, /auth/login, /auth/logout; GET /me.

#include "app/daemon_config.h"
#include "app/server_metrics.h"
#include "app/services.h"
#include "auth/password_hasher.h"
#include "auth/session_cache.h"
#include "auth/tokens.h"
#include "cache/directory_cache.h"
#include "delivery/hub.h"
#include "http_call.h"
#include "json/json_writer.h"
#include "limits/rate_gate.h"
#include "protocol/http_bodies.h"
#include "router.h"
#include "routes.h"
#include "storage/account_store.h"
#include "storage/db_pool.h"
#include "storage/directory_store.h"
#include "text/text_rules.h"
#include "time/clock.h"

namespace sanayicin {

namespace {

constexpr int kUnauthorizedClose = 4001;

QByteArray tokenAndUser(const QString &token, const User &user)
{
    QByteArray out;
    JsonWriter w(out);
    w.beginObject().field("token", token).key("user");
    writeUser(w, user);
    w.endObject();
    return out;
}

// Runs `work` on the password pool, then `then` on the call's thread. The
// pool's queue is bounded: when it is full the client gets 503 with
// Retry-After at once. Work whose client has gone meanwhile is dropped.
// Clients take turns by address, so one address's flood waits behind itself.
void onHasher(const CallPtr &call, std::function<void()> work, std::function<void()> then)
{
    PasswordHasher &hasher = call->services.hasher;
    const bool queued = hasher.tryRun(
        call->request.clientAddress.toUtf8(),
        [call, work = std::move(work), then = std::move(then)] {
            work();
            call->later(then);
        },
        [call] { return !call->clientGone(); });
    if (queued)
        return;
    HttpResponse busy = HttpResponse::error(
        ApiError::unavailable(QStringLiteral("too many logins and registrations at once; try again")));
    busy.headers.push_back(
        {"Retry-After", QByteArray::number((hasher.retryAfterMs() + 999) / 1000)});
    call->respond(busy);
}

// Spends one token from each budget in turn and calls `allowed` when all
// had one; the first that has none answers 429.
struct Budget
{
    QByteArray key;
    RateRule rule;
};

void spend(const CallPtr &call, std::shared_ptr<const QList<Budget>> budgets, qsizetype next,
           const QString &refusal, std::function<void()> allowed)
{
    if (next == budgets->size()) {
        allowed();
        return;
    }
    const Budget &b = budgets->at(next);
    call->services.rates.take(call->context(), b.key, b.rule,
                              [call, budgets, next, refusal, allowed](RateDecision d) {
                                  if (!d.allowed) {
                                      call->services.metrics.rateLimited.inc();
                                      call->fail({ErrorCode::RateLimited, refusal,
                                                  int(d.retryAfterMs)});
                                      return;
                                  }
                                  spend(call, budgets, next + 1, refusal, allowed);
                              });
}

void createAccount(const CallPtr &call, const RegisterRequest &req);

void registerUser(const CallPtr &call)
{
    const auto body = call->jsonBody();
    if (!body)
        return;
    QString error;
    const auto req = parseRegister(*body, error);
    if (!req) {
        call->fail(ApiError::badRequest(error));
        return;
    }
    // Registration spends a hash too: its own budget per client address.
    const DaemonConfig &config = call->services.config;
    auto budgets = std::make_shared<const QList<Budget>>(QList<Budget>{
        {"register:a:" + call->request.clientAddress.toUtf8(), config.registerRule}});
    spend(call, budgets, 0, QStringLiteral("too many registrations; wait a little"),
          [call, req = *req] { createAccount(call, req); });
}

void createAccount(const CallPtr &call, const RegisterRequest &req)
{
    auto hash = std::make_shared<QString>();
    PasswordHasher &hasher = call->services.hasher;
    onHasher(
        call, [hash, &hasher, pw = req.password] { *hash = hasher.hash(pw); },
        [call, hash, req] {
            const qint64 ttl = call->services.config.tokenTtlMs;
            const bool listed = req.role == Role::Tradesman;
            SessionCache &sessions = call->services.sessions;
            call->services.readers.run<HttpResponse>(call->context(), [hash, req, ttl, &sessions](Db &db) {
                const qint64 now = nowMs();
                const QString token = generateToken();
                User user{0, req.username, req.displayName, req.role, now};
                const quint64 ticket = sessions.ticket();
                try {
                    Transaction tx(db);
                    user.id = store::insertUser(db, req.username, req.displayName, req.role, *hash, now);
                    if (req.role == Role::Tradesman)
                        store::createEmptyProfile(db, user.id, now);
                    store::insertSession(db, hashToken(token), user.id, now, now + ttl);
                    tx.commit();
                    // The client's WebSocket usually follows at once.
                    sessions.put({user, hashToken(token), now + ttl}, ticket, now);
                } catch (const DbError &e) {
                    if (e.kind() != DbError::Kind::UniqueViolation)
                        throw;
                    return HttpResponse::error(
                        ApiError::conflict(QStringLiteral("that username is taken")));
                }
                return HttpResponse::json(201, tokenAndUser(token, user));
            },
            [call, listed](HttpResponse response) {
                // A new tradesman is listed from now on.
                if (listed && response.status == 201)
                    call->services.directory.invalidate(
                        call->context(), [call, response] { call->respond(response); });
                else
                    call->respond(response);
            },
            [call](const DbError &e) { call->failDb(e); });
        });
}

void checkPassword(const CallPtr &call, const LoginRequest &req);

HttpResponse wrongPassword()
{
    return HttpResponse::error(ApiError::unauthorized(QStringLiteral("wrong username or password")));
}

void login(const CallPtr &call)
{
    const auto body = call->jsonBody();
    if (!body)
        return;
    QString error;
    const auto req = parseLogin(*body, error);
    if (!req) {
        call->fail(ApiError::badRequest(error));
        return;
    }
    // No account can have a name outside the username rule (registration
    // and `user create` both check it), so such a login costs no hash and
    // no budget: the answer is the same 401 and says nothing about anyone.
    if (!isValidUsername(req->username)) {
        call->respond(wrongPassword());
        return;
    }
    // Three budgets: per client address whatever the username (made-up
    // names do not get around it), per account whatever the address, and
    // the contract's per pair.
    const DaemonConfig &config = call->services.config;
    const QByteArray address = call->request.clientAddress.toUtf8();
    const QByteArray username = req->username.toUtf8();
    auto budgets = std::make_shared<const QList<Budget>>(QList<Budget>{
        {"login:a:" + address, config.loginAddressRule},
        {"login:u:" + username, config.loginAccountRule},
        {"login:" + address + '|' + username, config.loginRule}});
    spend(call, budgets, 0, QStringLiteral("too many login attempts; wait a little"),
          [call, req = *req] { checkPassword(call, req); });
}

void checkPassword(const CallPtr &call, const LoginRequest &req)
{
    Services &s = call->services;
    // Taken before the user is read: a ban (or logout) recorded after this
    // keeps the new session out of the cache (see SessionCache::put).
    const quint64 ticket = s.sessions.ticket();
    const QString username = req.username;
    s.readers.run<std::optional<store::UserRecord>>(
        call->context(), [username](Db &db) { return store::userByUsername(db, username); },
        [call, ticket, password = req.password](std::optional<store::UserRecord> record) {
            auto ok = std::make_shared<bool>(false);
            PasswordHasher &hasher = call->services.hasher;
            onHasher(
                call,
                [ok, record, password, &hasher] {
                    if (record)
                        *ok = hasher.verify(record->passwordHash, password);
                    else
                        hasher.verifyDummy(password);
                },
                [call, ok, record, ticket] {
                    if (!*ok) {
                        call->respond(wrongPassword());
                        return;
                    }
                    const HttpResponse banned =
                        HttpResponse::error(ApiError::forbidden(QStringLiteral("this account is banned")));
                    if (record->banned) {
                        call->respond(banned);
                        return;
                    }
                    const qint64 ttl = call->services.config.tokenTtlMs;
                    SessionCache &sessions = call->services.sessions;
                    call->query([user = record->user, ttl, ticket, banned, &sessions](Db &db) {
                        const qint64 now = nowMs();
                        const QString token = generateToken();
                        // Inserted only if the user is still not banned, with
                        // the user's session generation: a ban that commits
                        // during the password check wins.
                        if (!store::insertSession(db, hashToken(token), user.id, now, now + ttl))
                            return banned;
                        sessions.put({user, hashToken(token), now + ttl}, ticket, now);
                        return HttpResponse::json(200, tokenAndUser(token, user));
                    });
                });
        },
        [call](const DbError &e) { call->failDb(e); });
}

void logout(const CallPtr &call)
{
    const QByteArray hash = call->auth.tokenHash;
    const qint64 userId = call->auth.user.id;
    Services &s = call->services;
    s.readers.run<bool>(
        call->context(), [hash](Db &db) { return store::deleteSession(db, hash); },
        [call, hash, userId](bool) {
            Services &s = call->services;
            s.hub.revokeToken(userId, hash);
            s.hub.closeToken(userId, hash, kUnauthorizedClose, QStringLiteral("logged out"));
            call->respond(HttpResponse::noContent());
        },
        [call](const DbError &e) { call->failDb(e); });
}

void me(const CallPtr &call)
{
    call->respond(HttpResponse::json(200, userJson(call->auth.user)));
}

} // namespace

void addAccountRoutes(Router &r)
{
    r.add(HttpMethod::Post, "/api/v1/auth/register", Access::Public, registerUser);
    r.add(HttpMethod::Post, "/api/v1/auth/login", Access::Public, login);
    r.add(HttpMethod::Post, "/api/v1/auth/logout", Access::User, logout);
    r.add(HttpMethod::Get, "/api/v1/me", Access::User, me);
}

} // namespace sanayicin
