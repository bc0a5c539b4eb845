// POST/GET /conversations, GET /conversations/{id}.

#include "chat/chat.h"
#include "http_call.h"
#include "http_deps.h"
#include "json/json_writer.h"
#include "protocol/http_bodies.h"
#include "protocol/limits.h"
#include "query_params.h"
#include "router.h"
#include "routes.h"

#include <limits>

namespace sanayicin {

namespace {

void createConversation(const CallPtr &call)
{
    const auto body = call->jsonBody();
    if (!body)
        return;
    QString error;
    const auto peer = parseIdField(*body, "peer_id", error);
    if (!peer) {
        call->fail(ApiError::badRequest(error));
        return;
    }
    call->deps.chat.conversations.open(
        call->caller(), call->auth.user, *peer, [call](chat::Outcome<chat::Conversations::Opened> o) {
            if (o.ok())
                call->respond(HttpResponse::json(o.value().created ? 201 : 200,
                                                 conversationJson(o.value().conversation)));
            else
                call->fail(o.error());
        });
}

void listConversations(const CallPtr &call)
{
    const auto limit = queryNumber(call, "limit", protocol::kConversationLimitDefault,
                                   protocol::kConversationLimitMax);
    if (!limit)
        return;
    const auto offset = queryNumber(call, "offset", 0, std::numeric_limits<qint64>::max() / 2);
    if (!offset)
        return;
    call->deps.chat.conversations.list(
        call->caller(), call->auth.user.id, *limit, *offset,
        [call](chat::Outcome<chat::Conversations::Page> page) {
            if (!page.ok()) {
                call->fail(page.error());
                return;
            }
            QByteArray out;
            JsonWriter w(out);
            w.beginObject().key("items").beginArray();
            for (const Conversation &c : page.value().items)
                writeConversation(w, c);
            w.endArray().field("total", page.value().total).endObject();
            call->respond(HttpResponse::json(200, out));
        });
}

void getConversation(const CallPtr &call)
{
    call->deps.chat.conversations.get(
        call->caller(), call->auth.user.id, call->request.idParam(0),
        [call](chat::Outcome<Conversation> c) {
            if (c.ok())
                call->respond(HttpResponse::json(200, conversationJson(c.value())));
            else
                call->fail(c.error());
        });
}

} // namespace

void addConversationRoutes(Router &r)
{
    r.add(HttpMethod::Post, "/api/v1/conversations", Access::User, createConversation);
    r.add(HttpMethod::Get, "/api/v1/conversations", Access::User, listConversations);
    r.add(HttpMethod::Get, "/api/v1/conversations/{id}", Access::User, getConversation);
}

} // namespace sanayicin
