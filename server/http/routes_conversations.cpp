// POST/GET /conversations, GET /conversations/{id}.

#include "app/services.h"
#include "delivery/hub.h"
#include "http_call.h"
#include "json/json_writer.h"
#include "protocol/http_bodies.h"
#include "protocol/limits.h"
#include "query_params.h"
#include "router.h"
#include "routes.h"
#include "storage/account_store.h"
#include "storage/conversation_store.h"
#include "storage/membership_cache.h"
#include "storage/user_cache.h"
#include "time/clock.h"

#include <limits>

namespace sanayicin {

namespace {

void markOnline(Conversation &c, const Hub &hub)
{
    for (Participant &p : c.participants)
        p.online = hub.isOnline(p.user.id);
}

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
    const qint64 me = call->auth.user.id;
    if (*peer == me) {
        call->fail(ApiError::badRequest(QStringLiteral("a conversation needs another user")));
        return;
    }
    Hub &hub = call->services.hub;
    MembershipCache &members = call->services.members;
    UserCache &users = call->services.users;
    call->query([me, peer = *peer, &hub, &members, &users](Db &db) {
        if (!store::userById(db, peer))
            return HttpResponse::error(ApiError::notFound(QStringLiteral("no such user")));
        const auto [id, created] = store::findOrCreateConversation(db, me, peer, nowMs());
        members.insert(id, {std::min(me, peer), std::max(me, peer)});
        if (created)
            hub.peersChanged(me, peer);
        auto c = store::conversationFor(db, users, id, me);
        if (!c)
            return HttpResponse::error(ApiError::internal());
        markOnline(*c, hub);
        return HttpResponse::json(created ? 201 : 200, conversationJson(*c));
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
    const qint64 me = call->auth.user.id;
    Hub &hub = call->services.hub;
    UserCache &users = call->services.users;
    call->query([me, limit = *limit, offset = *offset, &hub, &users](Db &db) {
        store::ConversationPage page = store::listConversations(db, users, me, limit, offset);
        QByteArray out;
        JsonWriter w(out);
        w.beginObject().key("items").beginArray();
        for (Conversation &c : page.items) {
            markOnline(c, hub);
            writeConversation(w, c);
        }
        w.endArray().field("total", page.total).endObject();
        return HttpResponse::json(200, out);
    });
}

void getConversation(const CallPtr &call)
{
    const qint64 me = call->auth.user.id;
    const qint64 id = call->request.idParam(0);
    Hub &hub = call->services.hub;
    UserCache &users = call->services.users;
    call->query([me, id, &hub, &users](Db &db) {
        auto c = store::conversationFor(db, users, id, me);
        if (!c) // also when it exists but is not theirs: never 403
            return HttpResponse::error(ApiError::notFound(QStringLiteral("no such conversation")));
        markOnline(*c, hub);
        return HttpResponse::json(200, conversationJson(*c));
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
