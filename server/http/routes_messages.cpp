// Messages over HTTP: history, send, read cursor, report.

#include "app/daemon_config.h"
#include "app/server_metrics.h"
#include "app/services.h"
#include "delivery/hub.h"
#include "http_call.h"
#include "json/json_writer.h"
#include "limits/rate_gate.h"
#include "protocol/http_bodies.h"
#include "protocol/server_frames.h"
#include "protocol/limits.h"
#include "query_params.h"
#include "router.h"
#include "routes.h"
#include "cache/recent_messages.h"
#include "storage/db_pool.h"
#include "storage/membership_cache.h"
#include "storage/message_store.h"
#include "storage/message_writer.h"
#include "time/clock.h"

#include <limits>

namespace sanayicin {

namespace {

constexpr qint64 kAnyId = std::numeric_limits<qint64>::max() / 2;

HttpResponse noSuchConversation()
{
    return HttpResponse::error(ApiError::notFound(QStringLiteral("no such conversation")));
}

void newestPage(const CallPtr &call, qint64 conv, int limit);

HttpResponse historyResponse(const store::MessagePage &page)
{
    QByteArray out;
    JsonWriter w(out);
    w.beginObject().key("items").beginArray();
    for (const Message &msg : page.items)
        writeMessage(w, msg);
    w.endArray().field("has_more", page.hasMore).endObject();
    return HttpResponse::json(200, out);
}

void history(const CallPtr &call)
{
    // -1: not given. 0 is a real cursor (after_id=0 pages from the oldest).
    const auto before = queryNumber(call, "before_id", -1, kAnyId);
    if (!before)
        return;
    const auto after = queryNumber(call, "after_id", -1, kAnyId);
    if (!after)
        return;
    const auto limit =
        queryNumber(call, "limit", protocol::kHistoryLimitDefault, protocol::kHistoryLimitMax);
    if (!limit)
        return;
    const qint64 me = call->auth.user.id;
    const qint64 conv = call->request.idParam(0);
    const auto cursor = [](qint64 v) { return v < 0 ? std::nullopt : std::optional<qint64>(v); };
    if (*before < 0 && *after < 0 && *limit <= RecentMessages::kKeep) {
        newestPage(call, conv, int(*limit));
        return;
    }
    MembershipCache &members = call->services.members;
    call->query([=, &members](Db &db) {
        const auto m = members.load(db, conv);
        if (!m || !m->contains(me))
            return noSuchConversation();
        return historyResponse(store::history(db, conv, cursor(*before), cursor(*after), *limit));
    });
}

// The newest page (what opening a conversation asks for): from the recent-
// messages cache when it is current, checked against the conversation's
// newest id; else from the database, which then refills the cache.
void newestPage(const CallPtr &call, qint64 conv, int limit)
{
    const qint64 me = call->auth.user.id;
    MembershipCache &members = call->services.members;
    call->services.readers.run<qint64>(
        call->context(),
        [=, &members](Db &db) -> qint64 {
            const auto m = members.load(db, conv);
            if (!m || !m->contains(me))
                return -1;
            return store::lastMessageIdOf(db, conv).value_or(-1);
        },
        [call, conv, limit](qint64 lastId) {
            if (lastId < 0) {
                call->respond(noSuchConversation());
                return;
            }
            if (lastId == 0) {
                call->respond(historyResponse({}));
                return;
            }
            call->services.recent.get(
                call->context(), {conv}, [call, conv, limit, lastId](RecentMessages::Found_ found) {
                    if (auto page = newestFromCache(found.lists.value(conv), lastId, limit)) {
                        QByteArray out = "{\"items\":[";
                        for (qsizetype i = 0; i < page->size(); ++i) {
                            if (i)
                                out += ',';
                            out += page->at(i).json;
                        }
                        out += "],\"has_more\":";
                        out += page->first().seq > 1 ? "true" : "false";
                        out += '}';
                        call->respond(HttpResponse::json(200, out));
                        return;
                    }
                    RecentMessages &recent = call->services.recent;
                    const qint64 generation = found.generations.value(conv, -1);
                    call->query([conv, limit, generation, &recent](Db &db) {
                        store::MessagePage page = store::history(db, conv, {}, {}, limit);
                        recent.fill(conv, generation, page.items);
                        return historyResponse(page);
                    });
                });
        },
        [call](const DbError &e) { call->failDb(e); });
}

void submitMessage(const CallPtr &call, const PostMessageRequest &req);


void postMessage(const CallPtr &call)
{
    const auto body = call->jsonBody();
    if (!body)
        return;
    QString error;
    auto req = parsePostMessage(*body, error);
    if (!req) {
        call->fail(ApiError::badRequest(error));
        return;
    }
    Services &s = call->services;
    s.metrics.messagesReceived.inc();
    const qint64 me = call->auth.user.id;
    s.rates.take(call->context(), "send:" + QByteArray::number(me), s.config.sendRule,
                 [call, req = *req](RateDecision d) {
                     if (!d.allowed) {
                         call->services.metrics.rateLimited.inc();
                         call->fail({ErrorCode::RateLimited,
                                     QStringLiteral("too many messages; slow down"),
                                     int(d.retryAfterMs)});
                         return;
                     }
                     submitMessage(call, req);
                 });
}

void submitMessage(const CallPtr &call, const PostMessageRequest &req)
{
    Services &s = call->services;
    const qint64 me = call->auth.user.id;
    SendCommand cmd;
    cmd.send = {me, call->request.idParam(0), req.clientMsgId, req.body};
    cmd.receivedNs = steadyNs();
    cmd.reply = [call](const SendResult &result) {
        call->later([call, result] {
            switch (result.status) {
            case SendResult::Status::Stored:
                call->respond(HttpResponse::json(201, result.message->json));
                break;
            case SendResult::Status::Duplicate:
                call->respond(HttpResponse::json(200, result.message->json));
                break;
            case SendResult::Status::NotFound:
                call->respond(noSuchConversation());
                break;
            case SendResult::Status::Failed:
                call->fail(ApiError::unavailable(
                    QStringLiteral("the message was not stored; send it again")));
                break;
            }
        });
    };
    s.writer.submit(std::move(cmd));
}

void markRead(const CallPtr &call)
{
    const auto body = call->jsonBody();
    if (!body)
        return;
    QString error;
    const auto messageId = parseIdField(*body, "message_id", error);
    if (!messageId) {
        call->fail(ApiError::badRequest(error));
        return;
    }
    const qint64 me = call->auth.user.id;
    const qint64 conv = call->request.idParam(0);
    MembershipCache &members = call->services.members;
    Hub &hub = call->services.hub;
    // Cursor updates belong to the writer, like the WebSocket `read`.
    const bool queued = call->services.writer.post([=, &members, &hub](Db &db) {
        HttpResponse response = HttpResponse::noContent();
        try {
            const auto m = members.load(db, conv);
            const auto msg = store::messageById(db, *messageId);
            if (!m || !m->contains(me))
                response = noSuchConversation();
            else if (!msg || msg->conversationId != conv)
                response = HttpResponse::error(
                    ApiError::notFound(QStringLiteral("no such message in that conversation")));
            else if (store::advanceReadCursor(db, conv, me, msg->id, msg->seq))
                hub.sendToUsers({m->peerOf(me)}, frames::read(conv, me, msg->id));
        } catch (const DbError &e) {
            call->later([call, e] { call->failDb(e); });
            return;
        }
        call->later([call, response] { call->respond(response); });
    });
    if (!queued)
        call->fail(ApiError::unavailable(QStringLiteral("too busy to store the read cursor; try again")));
}

void report(const CallPtr &call)
{
    const auto body = call->jsonBody();
    if (!body)
        return;
    QString error;
    const auto reason = parseReason(*body, true, error);
    if (!reason) {
        call->fail(ApiError::badRequest(error));
        return;
    }
    const qint64 me = call->auth.user.id;
    const qint64 messageId = call->request.idParam(0);
    MembershipCache &members = call->services.members;
    call->query([=, &members](Db &db) {
        const auto msg = store::messageById(db, messageId);
        const auto m = msg ? members.load(db, msg->conversationId) : std::nullopt;
        if (!msg || !m || !m->contains(me))
            return HttpResponse::error(ApiError::notFound(QStringLiteral("no such message")));
        const qint64 id = store::insertReport(db, messageId, me, *reason, nowMs());
        QByteArray out;
        JsonWriter w(out);
        w.beginObject().field("id", id).endObject();
        return HttpResponse::json(202, out);
    });
}

} // namespace

void addMessageRoutes(Router &r)
{
    r.add(HttpMethod::Get, "/api/v1/conversations/{id}/messages", Access::User, history);
    r.add(HttpMethod::Post, "/api/v1/conversations/{id}/messages", Access::User, postMessage);
    r.add(HttpMethod::Post, "/api/v1/conversations/{id}/read", Access::User, markRead);
    r.add(HttpMethod::Post, "/api/v1/messages/{id}/report", Access::User, report);
}

} // namespace sanayicin
