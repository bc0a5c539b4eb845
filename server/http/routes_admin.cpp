// Moderation: ban, unban, kick, delete a message.

#include "chat/chat.h"
#include "http_call.h"
#include "http_deps.h"
#include "protocol/http_bodies.h"
#include "router.h"
#include "routes.h"

namespace sanayicin {

namespace {

// The optional {"reason"} body of a ban; responds 400 itself when bad.
std::optional<QString> optionalReason(const CallPtr &call)
{
    if (call->request.body.trimmed().isEmpty())
        return QString();
    const auto body = call->jsonBody();
    if (!body)
        return std::nullopt;
    QString error;
    auto reason = parseReason(*body, false, error);
    if (!reason)
        call->fail(ApiError::badRequest(error));
    return reason;
}

// 204, or the error.
chat::Moderation::StatusDone answer(const CallPtr &call)
{
    return [call](chat::Status s) {
        if (s.ok())
            call->respond(HttpResponse::noContent());
        else
            call->fail(s.error());
    };
}

void ban(const CallPtr &call)
{
    const auto reason = optionalReason(call);
    if (!reason)
        return;
    call->deps.chat.moderation.ban(call->caller(), call->auth.user.id,
                                        call->request.idParam(0), *reason, answer(call));
}

void unban(const CallPtr &call)
{
    call->deps.chat.moderation.unban(call->caller(), call->auth.user.id,
                                          call->request.idParam(0), answer(call));
}

void kick(const CallPtr &call)
{
    call->deps.chat.moderation.kick(call->caller(), call->auth.user.id,
                                         call->request.idParam(0), answer(call));
}

void deleteMessage(const CallPtr &call)
{
    call->deps.chat.moderation.deleteMessage(call->caller(), call->auth.user.id,
                                                  call->request.idParam(0), answer(call));
}

} // namespace

void addAdminRoutes(Router &r)
{
    r.add(HttpMethod::Post, "/api/v1/admin/users/{id}/ban", Access::Admin, ban);
    r.add(HttpMethod::Post, "/api/v1/admin/users/{id}/unban", Access::Admin, unban);
    r.add(HttpMethod::Post, "/api/v1/admin/users/{id}/kick", Access::Admin, kick);
    r.add(HttpMethod::Delete, "/api/v1/admin/messages/{id}", Access::Admin, deleteMessage);
}

} // namespace sanayicin
