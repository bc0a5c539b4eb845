// Moderation for the console: reports (list, resolve, context), the user
// search and the moderation log. Shapes: docs/protocol.md, "Moderation".

#include "chat/chat.h"
#include "http_call.h"
#include "http_deps.h"
#include "json/json_writer.h"
#include "protocol/http_bodies.h"
#include "protocol/limits.h"
#include "query_params.h"
#include "router.h"
#include "routes.h"
#include "text/text_rules.h"

#include <limits>
#include <tuple>

namespace sanayicin {

namespace {

using chat::Moderation;

constexpr qint64 kListMax = 500;
constexpr qint64 kContextDefault = 10;
constexpr qint64 kContextMax = 50;
constexpr qint64 kIdMax = std::numeric_limits<qint64>::max();

// limit and offset of a listing; false once a 400 went out.
bool readPage(const CallPtr &call, qint64 &limit, qint64 &offset)
{
    const auto p = queryPage(call, 50, kListMax);
    if (p)
        std::tie(limit, offset) = *p;
    return p.has_value();
}

// A query parameter that must be one of `allowed` (or absent: `fallback`);
// responds 400 and returns nullopt otherwise.
std::optional<QString> queryChoice(const CallPtr &call, const char *name,
                                   const QList<QString> &allowed, const QString &fallback)
{
    if (!call->request.hasQuery(name))
        return fallback;
    const QString v = call->request.queryValue(name);
    if (allowed.contains(v))
        return v;
    call->fail(ApiError::badRequest(
        QStringLiteral("%1 must be one of: %2").arg(QLatin1StringView(name), allowed.join(u", "))));
    return std::nullopt;
}

template<typename T, typename Write>
void respondPage(const CallPtr &call, const chat::Outcome<Moderation::Page<T>> &page, Write write)
{
    if (!page.ok()) {
        call->fail(page.error());
        return;
    }
    QByteArray out;
    JsonWriter w(out);
    w.beginObject().key("items").beginArray();
    for (const T &item : page.value().items)
        write(w, item);
    w.endArray().field("total", page.value().total).endObject();
    call->respond(HttpResponse::json(200, out));
}

void reports(const CallPtr &call)
{
    qint64 limit = 0, offset = 0;
    if (!readPage(call, limit, offset))
        return;
    // Without `state`, every report, as before the console's filters.
    const auto state = queryChoice(call, "state", {QStringLiteral("open"), QStringLiteral("resolved"), QStringLiteral("all")},
                                   QStringLiteral("all"));
    if (!state)
        return;
    const Moderation::ReportState s = *state == u"open"       ? Moderation::ReportState::Open
                                      : *state == u"resolved" ? Moderation::ReportState::Resolved
                                                              : Moderation::ReportState::All;
    call->deps.chat.moderation.reports(call->caller(), s, limit, offset,
                                       [call](chat::Outcome<Moderation::Page<Report>> page) {
                                           respondPage(call, page, writeReport);
                                       });
}

void resolve(const CallPtr &call)
{
    const auto body = call->jsonBody();
    if (!body)
        return;
    QString error;
    const auto req = parseResolve(*body, error);
    if (!req) {
        call->fail(ApiError::badRequest(error));
        return;
    }
    call->deps.chat.moderation.resolve(call->caller(), call->auth.user.id,
                                       call->request.idParam(0), req->resolution, req->note,
                                       [call](chat::Outcome<Report> r) {
                                           if (!r.ok()) {
                                               call->fail(r.error());
                                               return;
                                           }
                                           call->respond(
                                               HttpResponse::json(200, reportJson(r.value())));
                                       });
}

void context(const CallPtr &call)
{
    const auto before = queryNumber(call, "before", kContextDefault, kContextMax);
    if (!before)
        return;
    const auto after = queryNumber(call, "after", kContextDefault, kContextMax);
    if (!after)
        return;
    call->deps.chat.moderation.context(
        call->caller(), call->auth.user.id, call->request.idParam(0), *before, *after,
        [call](chat::Outcome<Moderation::Context> c) {
            if (!c.ok()) {
                call->fail(c.error());
                return;
            }
            QByteArray out;
            JsonWriter w(out);
            w.beginObject().key("report");
            writeReport(w, c.value().report);
            w.key("messages").beginArray();
            for (const Message &m : c.value().messages)
                writeMessage(w, m);
            w.endArray().key("participants").beginArray();
            for (const User &u : c.value().participants)
                writeUser(w, u);
            w.endArray().endObject();
            call->respond(HttpResponse::json(200, out));
        });
}

void users(const CallPtr &call)
{
    Moderation::UserQuery q;
    if (!readPage(call, q.limit, q.offset))
        return;
    q.text = call->request.queryValue("q").trimmed();
    if (codePointCount(q.text) > protocol::kSearchQueryMax) {
        call->fail(ApiError::badRequest(QStringLiteral("q must have at most 100 characters")));
        return;
    }
    const auto role =
        queryChoice(call, "role", {QStringLiteral("customer"), QStringLiteral("tradesman"), QStringLiteral("admin")}, QString());
    if (!role)
        return;
    const auto banned = queryChoice(call, "banned", {QStringLiteral("true"), QStringLiteral("false")}, QString());
    if (!banned)
        return;
    q.role = *role;
    q.banned = *banned;
    call->deps.chat.moderation.users(call->caller(), q,
                                     [call](chat::Outcome<Moderation::Page<AdminUser>> page) {
                                         respondPage(call, page, writeAdminUser);
                                     });
}

// The log, filtered by the query; `aboutUser` (non-zero) is the user of
// /admin/users/{id}/moderation.
void logOf(const CallPtr &call, qint64 aboutUser)
{
    Moderation::LogQuery q;
    if (!readPage(call, q.limit, q.offset))
        return;
    const auto actor = queryNumber(call, "actor", 0, kIdMax);
    if (!actor)
        return;
    const auto target = queryNumber(call, "user", 0, kIdMax);
    if (!target)
        return;
    const auto action = queryChoice(call, "action", Moderation::actions(), QString());
    if (!action)
        return;
    q.actorId = *actor;
    q.targetId = aboutUser ? aboutUser : *target;
    q.action = *action;
    call->deps.chat.moderation.log(call->caller(), q, aboutUser != 0,
                                   [call](chat::Outcome<Moderation::Page<LogEntry>> page) {
                                       respondPage(call, page, writeLogEntry);
                                   });
}

void log(const CallPtr &call)
{
    logOf(call, 0);
}

void userModeration(const CallPtr &call)
{
    const qint64 id = call->request.idParam(0);
    if (id <= 0) {
        call->fail(ApiError::notFound(QStringLiteral("no such user")));
        return;
    }
    logOf(call, id);
}

} // namespace

void addModerationRoutes(Router &r)
{
    r.add(HttpMethod::Get, "/api/v1/admin/reports", Access::Admin, reports);
    r.add(HttpMethod::Post, "/api/v1/admin/reports/{id}/resolve", Access::Admin, resolve);
    r.add(HttpMethod::Get, "/api/v1/admin/reports/{id}/context", Access::Admin, context);
    r.add(HttpMethod::Get, "/api/v1/admin/users", Access::Admin, users);
    r.add(HttpMethod::Get, "/api/v1/admin/users/{id}/moderation", Access::Admin, userModeration);
    r.add(HttpMethod::Get, "/api/v1/admin/log", Access::Admin, log);
}

} // namespace sanayicin
