#include "moderation.h"

#include "cache/directory_cache.h"
#include "cache/recent_messages.h"
#include "db_outcome.h"
#include "delivery/hub.h"
#include "logging/log.h"
#include "protocol/server_frames.h"
#include "storage/account_store.h"
#include "storage/membership_cache.h"
#include "storage/message_store.h"
#include "time/clock.h"

namespace sanayicin::chat {

namespace {

constexpr int kKickedClose = 4000;
constexpr int kBannedClose = 4003;

ApiError noSuchUser()
{
    return ApiError::notFound(QStringLiteral("no such user"));
}

ApiError noSuchMessage()
{
    return ApiError::notFound(QStringLiteral("no such message"));
}

} // namespace

void Moderation::ban(const Caller &caller, qint64 actor, qint64 target, const QString &reason,
                     StatusDone done)
{
    if (target == actor) {
        done(ApiError::badRequest(QStringLiteral("you cannot ban yourself")));
        return;
    }
    readOutcome<Nothing>(
        m_deps.readers, caller, "ban",
        [=](Db &db) -> Status {
            if (!store::userById(db, target))
                return noSuchUser();
            const qint64 now = nowMs();
            Transaction tx(db);
            store::banUser(db, target, reason, now);
            store::deleteSessionsOfUser(db, target);
            store::logModeration(db, actor, QStringLiteral("ban"), target, 0, reason, now);
            tx.commit();
            return Nothing{};
        },
        [this, caller, ref = CallerRef(caller), target, actor, done](Status s) {
            if (!s.ok()) {
                done(s);
                return;
            }
            qCInfo(lcApp) << "user" << target << "banned by" << actor;
            m_deps.hub.revokeUser(target);
            m_deps.hub.closeUser(target, kBannedClose, QStringLiteral("banned"));
            // A banned tradesman leaves the directory at once.
            m_deps.directory.invalidate(caller.home, [ref, done] {
                if (ref.live())
                    done(Nothing{});
            });
        });
}

void Moderation::unban(const Caller &caller, qint64 actor, qint64 target, StatusDone done)
{
    readOutcome<Nothing>(
        m_deps.readers, caller, "unban",
        [=](Db &db) -> Status {
            if (!store::userById(db, target))
                return noSuchUser();
            Transaction tx(db);
            store::unbanUser(db, target);
            store::logModeration(db, actor, QStringLiteral("unban"), target, 0, {}, nowMs());
            tx.commit();
            return Nothing{};
        },
        [this, caller, ref = CallerRef(caller), done](Status s) {
            if (!s.ok() && s.error().code != ErrorCode::NotFound) {
                done(s);
                return;
            }
            m_deps.directory.invalidate(caller.home, [ref, done, s] {
                if (ref.live())
                    done(s);
            });
        });
}

void Moderation::kick(const Caller &caller, qint64 actor, qint64 target, StatusDone done)
{
    readOutcome<Nothing>(
        m_deps.readers, caller, "kick",
        [=](Db &db) -> Status {
            if (!store::userById(db, target))
                return noSuchUser();
            store::logModeration(db, actor, QStringLiteral("kick"), target, 0, {}, nowMs());
            return Nothing{};
        },
        [this, target, done](Status s) {
            if (s.ok())
                m_deps.hub.closeUser(target, kKickedClose, QStringLiteral("kicked"));
            done(s);
        });
}

void Moderation::deleteMessage(const Caller &caller, qint64 actor, qint64 id, StatusDone done)
{
    struct Deleted
    {
        qint64 conversationId = 0;
        QList<qint64> participants;
    };
    MembershipCache &members = m_deps.members;
    readOutcome<Deleted>(
        m_deps.readers, caller, "delete message",
        [=, &members](Db &db) -> Outcome<Deleted> {
            const auto msg = store::messageById(db, id);
            if (!msg)
                return noSuchMessage();
            Transaction tx(db);
            store::deleteMessage(db, id, nowMs());
            store::logModeration(db, actor, QStringLiteral("delete_message"), msg->senderId, id, {},
                                 nowMs());
            tx.commit();
            Deleted d{msg->conversationId, {}};
            if (const auto m = members.load(db, msg->conversationId))
                d.participants = {m->userA, m->userB};
            return d;
        },
        [this, caller, ref = CallerRef(caller), id, done](Outcome<Deleted> d) {
            if (!d.ok()) {
                done(d.error());
                return;
            }
            // Drop the cached history first: whoever reloads after hearing of
            // the deletion reads it deleted.
            const Deleted deleted = d.value();
            m_deps.recent.drop(deleted.conversationId, caller.home, [this, ref, deleted, id, done] {
                m_deps.hub.sendToUsers(deleted.participants,
                                       frames::messageDeleted(deleted.conversationId, id));
                if (ref.live())
                    done(Nothing{});
            });
        });
}

void Moderation::report(const Caller &caller, qint64 me, qint64 messageId, const QString &reason,
                        ReportDone done)
{
    MembershipCache &members = m_deps.members;
    readOutcome<qint64>(
        m_deps.readers, caller, "report",
        [=, &members](Db &db) -> Outcome<qint64> {
            const auto msg = store::messageById(db, messageId);
            const auto m = msg ? members.load(db, msg->conversationId) : std::nullopt;
            if (!msg || !m || !m->contains(me))
                return noSuchMessage();
            return store::insertReport(db, messageId, me, reason, nowMs());
        },
        std::move(done));
}

} // namespace sanayicin::chat
