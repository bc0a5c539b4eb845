// POST /auth/register, /auth/login, /auth/logout; GET /me.

#include "chat/chat.h"
#include "http_call.h"
#include "http_deps.h"
#include "json/json_writer.h"
#include "protocol/http_bodies.h"
#include "router.h"
#include "routes.h"

namespace sanayicin {

namespace {

QByteArray tokenAndUser(const chat::Accounts::Session &session)
{
    QByteArray out;
    JsonWriter w(out);
    w.beginObject().field("token", session.token).key("user");
    writeUser(w, session.user);
    w.endObject();
    return out;
}

// Hashes for a client that has left are skipped (asked on the hash pool).
chat::Accounts::Client client(const CallPtr &call)
{
    std::weak_ptr<HttpCall> weak = call;
    return {call->request.clientAddress, [weak] {
                const CallPtr c = weak.lock();
                return c && !c->clientGone();
            }};
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
    call->deps.chat.accounts.registerUser(
        call->caller(), client(call), *req, [call](chat::Outcome<chat::Accounts::Session> s) {
            if (s.ok())
                call->respond(HttpResponse::json(201, tokenAndUser(s.value())));
            else
                call->fail(s.error());
        });
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
    call->deps.chat.accounts.login(
        call->caller(), client(call), *req, [call](chat::Outcome<chat::Accounts::Session> s) {
            if (s.ok())
                call->respond(HttpResponse::json(200, tokenAndUser(s.value())));
            else
                call->fail(s.error());
        });
}

void logout(const CallPtr &call)
{
    call->deps.chat.accounts.logout(call->caller(), call->auth.user.id, call->auth.tokenHash,
                                         [call](chat::Status s) {
                                             if (s.ok())
                                                 call->respond(HttpResponse::noContent());
                                             else
                                                 call->fail(s.error());
                                         });
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
