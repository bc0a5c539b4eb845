// Messages over HTTP: history, send, read cursor, report.

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

constexpr qint64 kAnyId = std::numeric_limits<qint64>::max() / 2;

HttpResponse historyResponse(const chat::MessageReader::Page &page)
{
    QByteArray out = "{\"items\":[";
    for (qsizetype i = 0; i < page.items.size(); ++i) {
        if (i)
            out += ',';
        out += page.items.at(i).json;
    }
    out += "],\"has_more\":";
    out += page.hasMore ? "true" : "false";
    out += '}';
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
    const auto cursor = [](qint64 v) { return v < 0 ? std::nullopt : std::optional<qint64>(v); };
    call->deps.chat.reader.history(
        call->caller(),
        {call->auth.user.id, call->request.idParam(0), cursor(*before), cursor(*after), int(*limit)},
        [call](chat::Outcome<chat::MessageReader::Page> page) {
            if (page.ok())
                call->respond(historyResponse(page.value()));
            else
                call->fail(page.error());
        });
}

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
    call->deps.chat.messaging.send(
        call->caller(),
        {call->auth.user.id, call->request.idParam(0), std::move(req->clientMsgId),
         std::move(req->body), 0},
        [call](const chat::Outcome<chat::Messaging::Sent> &sent, const QString &) {
            if (sent.ok())
                call->respond(HttpResponse::json(sent.value().duplicate ? 200 : 201,
                                                 sent.value().message->json));
            else
                call->fail(sent.error());
        });
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
    const bool queued = call->deps.chat.messaging.markRead(
        call->caller(), call->auth.user.id, {{call->request.idParam(0), *messageId}},
        [call](const chat::Messaging::ReadResults &results) {
            if (results.front())
                call->fail(*results.front());
            else
                call->respond(HttpResponse::noContent());
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
    call->deps.chat.moderation.report(
        call->caller(), call->auth.user.id, call->request.idParam(0), *reason,
        [call](chat::Outcome<qint64> id) {
            if (!id.ok()) {
                call->fail(id.error());
                return;
            }
            QByteArray out;
            JsonWriter w(out);
            w.beginObject().field("id", id.value()).endObject();
            call->respond(HttpResponse::json(202, out));
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
