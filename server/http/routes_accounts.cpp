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

// Runs `work` on the password pool, then `then` on the call's thread.
void onHasher(const CallPtr &call, std::function<void()> work, std::function<void()> then)
{
    call->services.hasher.run([call, work = std::move(work), then = std::move(then)] {
        work();
        call->later(then);
    });
}

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
    auto hash = std::make_shared<QString>();
    PasswordHasher &hasher = call->services.hasher;
    onHasher(
        call, [hash, &hasher, pw = req->password] { *hash = hasher.hash(pw); },
        [call, hash, req = *req] {
            const qint64 ttl = call->services.config.tokenTtlMs;
            const bool listed = req.role == Role::Tradesman;
            SessionCache &sessions = call->services.sessions;
            call->services.readers.run<HttpResponse>(call->context(), [hash, req, ttl, &sessions](Db &db) {
                const qint64 now = nowMs();
                const QString token = generateToken();
                User user{0, req.username, req.displayName, req.role, now};
                try {
                    Transaction tx(db);
                    user.id = store::insertUser(db, req.username, req.displayName, req.role, *hash, now);
                    if (req.role == Role::Tradesman)
                        store::createEmptyProfile(db, user.id, now);
                    store::insertSession(db, hashToken(token), user.id, now, now + ttl);
                    tx.commit();
                    // The client's WebSocket usually follows at once.
                    sessions.put({user, hashToken(token), now + ttl}, sessions.ticket(), now);
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
    Services &s = call->services;
    s.rates.take(call->context(),
                 "login:" + call->request.clientAddress.toUtf8() + '|' + req->username.toUtf8(),
                 s.config.loginRule, [call, req = *req](RateDecision d) {
                     if (!d.allowed) {
                         call->services.metrics.rateLimited.inc();
                         call->fail({ErrorCode::RateLimited,
                                     QStringLiteral("too many login attempts; wait a little"),
                                     int(d.retryAfterMs)});
                         return;
                     }
                     checkPassword(call, req);
                 });
}

void checkPassword(const CallPtr &call, const LoginRequest &req)
{
    Services &s = call->services;
    const QString username = req.username;
    s.readers.run<std::optional<store::UserRecord>>(
        call->context(), [username](Db &db) { return store::userByUsername(db, username); },
        [call, password = req.password](std::optional<store::UserRecord> record) {
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
                [call, ok, record] {
                    if (!*ok) {
                        call->fail(ApiError::unauthorized(
                            QStringLiteral("wrong username or password")));
                        return;
                    }
                    if (record->banned) {
                        call->fail(ApiError::forbidden(QStringLiteral("this account is banned")));
                        return;
                    }
                    const qint64 ttl = call->services.config.tokenTtlMs;
                    SessionCache &sessions = call->services.sessions;
                    call->query([user = record->user, ttl, &sessions](Db &db) {
                        const qint64 now = nowMs();
                        const QString token = generateToken();
                        store::insertSession(db, hashToken(token), user.id, now, now + ttl);
                        sessions.put({user, hashToken(token), now + ttl}, sessions.ticket(), now);
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
