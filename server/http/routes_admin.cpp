// Moderation: ban, unban, kick, delete a message.

#include "app/services.h"
#include "auth/session_cache.h"
#include "delivery/hub.h"
#include "http_call.h"
#include "logging/log.h"
#include "protocol/http_bodies.h"
#include "protocol/server_frames.h"
#include "router.h"
#include "routes.h"
#include "storage/account_store.h"
#include "storage/db_pool.h"
#include "cache/directory_cache.h"
#include "cache/recent_messages.h"
#include "storage/membership_cache.h"
#include "storage/message_store.h"
#include "time/clock.h"

namespace sanayicin {

namespace {

constexpr int kKickedClose = 4000;
constexpr int kBannedClose = 4003;

HttpResponse noSuchUser()
{
    return HttpResponse::error(ApiError::notFound(QStringLiteral("no such user")));
}

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

void ban(const CallPtr &call)
{
    const auto reason = optionalReason(call);
    if (!reason)
        return;
    const qint64 target = call->request.idParam(0);
    const qint64 actor = call->auth.user.id;
    if (target == actor) {
        call->fail(ApiError::badRequest(QStringLiteral("you cannot ban yourself")));
        return;
    }
    call->services.readers.run<bool>(
        call->context(),
        [=](Db &db) {
            if (!store::userById(db, target))
                return false;
            const qint64 now = nowMs();
            Transaction tx(db);
            store::banUser(db, target, *reason, now);
            store::deleteSessionsOfUser(db, target);
            store::logModeration(db, actor, QStringLiteral("ban"), target, 0, *reason, now);
            tx.commit();
            return true;
        },
        [call, target, actor](bool found) {
            if (!found) {
                call->respond(noSuchUser());
                return;
            }
            qCInfo(lcApp) << "user" << target << "banned by" << actor;
            call->services.hub.revokeUser(target);
            call->services.hub.closeUser(target, kBannedClose, QStringLiteral("banned"));
            // A banned tradesman leaves the directory at once.
            call->services.directory.invalidate(
                call->context(), [call] { call->respond(HttpResponse::noContent()); });
        },
        [call](const DbError &e) { call->failDb(e); });
}

void unban(const CallPtr &call)
{
    const qint64 target = call->request.idParam(0);
    const qint64 actor = call->auth.user.id;
    call->services.readers.run<HttpResponse>(
        call->context(),
        [=](Db &db) {
            if (!store::userById(db, target))
                return noSuchUser();
            Transaction tx(db);
            store::unbanUser(db, target);
            store::logModeration(db, actor, QStringLiteral("unban"), target, 0, {}, nowMs());
            tx.commit();
            return HttpResponse::noContent();
        },
        [call](HttpResponse response) {
            call->services.directory.invalidate(call->context(),
                                                [call, response] { call->respond(response); });
        },
        [call](const DbError &e) { call->failDb(e); });
}

void kick(const CallPtr &call)
{
    const qint64 target = call->request.idParam(0);
    const qint64 actor = call->auth.user.id;
    call->services.readers.run<bool>(
        call->context(),
        [=](Db &db) {
            if (!store::userById(db, target))
                return false;
            store::logModeration(db, actor, QStringLiteral("kick"), target, 0, {}, nowMs());
            return true;
        },
        [call, target](bool found) {
            if (!found) {
                call->respond(noSuchUser());
                return;
            }
            call->services.hub.closeUser(target, kKickedClose, QStringLiteral("kicked"));
            call->respond(HttpResponse::noContent());
        },
        [call](const DbError &e) { call->failDb(e); });
}

void deleteMessage(const CallPtr &call)
{
    const qint64 id = call->request.idParam(0);
    const qint64 actor = call->auth.user.id;
    MembershipCache &members = call->services.members;
    struct Deleted
    {
        bool found = false;
        qint64 conversationId = 0;
        QList<qint64> participants;
    };
    call->services.readers.run<Deleted>(
        call->context(),
        [=, &members](Db &db) {
            const auto msg = store::messageById(db, id);
            if (!msg)
                return Deleted{};
            Transaction tx(db);
            store::deleteMessage(db, id, nowMs());
            store::logModeration(db, actor, QStringLiteral("delete_message"), msg->senderId, id, {},
                                 nowMs());
            tx.commit();
            Deleted d{true, msg->conversationId, {}};
            if (const auto m = members.load(db, msg->conversationId))
                d.participants = {m->userA, m->userB};
            return d;
        },
        [call, id](Deleted d) {
            if (!d.found) {
                call->respond(HttpResponse::error(ApiError::notFound(QStringLiteral("no such message"))));
                return;
            }
            // Drop the cached history first: whoever reloads after hearing of
            // the deletion reads it deleted.
            call->services.recent.drop(d.conversationId, call->context(), [call, d, id] {
                call->services.hub.sendToUsers(d.participants,
                                               frames::messageDeleted(d.conversationId, id));
                call->respond(HttpResponse::noContent());
            });
        },
        [call](const DbError &e) { call->failDb(e); });
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
