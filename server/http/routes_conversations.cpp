// POST/GET /conversations, GET /conversations/{id}.

#include "app/daemon_config.h"
#include "app/server_metrics.h"
#include "app/services.h"
#include "delivery/hub.h"
#include "http_call.h"
#include "json/json_writer.h"
#include "limits/rate_gate.h"
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

// A peer who does not see the conversation yet shares no presence.
void markOnline(Conversation &c, const Hub &hub)
{
    for (Participant &p : c.participants)
        p.online = !p.hidden && hub.isOnline(p.user.id);
}

HttpResponse noSuchUser()
{
    return HttpResponse::error(ApiError::notFound(QStringLiteral("no such user")));
}

void openConversation(const CallPtr &call, qint64 peer);

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
    if (call->auth.user.role == Role::Admin) {
        call->fail(ApiError::forbidden(QStringLiteral("administrators do not take part in conversations")));
        return;
    }
    // Every ask counts, found or not: probing ids costs the same budget.
    Services &s = call->services;
    s.rates.take(call->context(), "conv:u:" + QByteArray::number(me), s.config.conversationRule,
                 [call, peer = *peer](RateDecision d) {
                     if (!d.allowed) {
                         call->services.metrics.rateLimited.inc();
                         call->fail({ErrorCode::RateLimited,
                                     QStringLiteral("too many new conversations; wait a little"),
                                     int(d.retryAfterMs)});
                         return;
                     }
                     openConversation(call, peer);
                 });
}

void openConversation(const CallPtr &call, qint64 peer)
{
    const qint64 me = call->auth.user.id;
    Hub &hub = call->services.hub;
    MembershipCache &members = call->services.members;
    UserCache &users = call->services.users;
    call->query([me, peer, &hub, &members, &users](Db &db) {
        // Administrators are nobody's peer: the same 404 as for an id that
        // does not exist, so that the answer does not tell them apart. A
        // banned user cannot be contacted anew (the directory hides them).
        const auto record = store::userById(db, peer);
        if (!record || record->user.role == Role::Admin)
            return noSuchUser();
        if (record->banned && !store::findConversation(db, me, peer))
            return noSuchUser();
        const auto opened = store::openConversation(db, me, peer, nowMs());
        members.insert(opened.id, {std::min(me, peer), std::max(me, peer)});
        // Opening may make the two share presence (both opened it).
        if (opened.opened)
            hub.peersChanged(me, peer);
        auto c = store::conversationFor(db, users, opened.id, me);
        if (!c)
            return HttpResponse::error(ApiError::internal());
        markOnline(*c, hub);
        return HttpResponse::json(opened.created ? 201 : 200, conversationJson(*c));
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
