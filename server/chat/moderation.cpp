#include "moderation.h"

#include "admin_events.h"
#include "budgets.h"
#include "cache/directory_cache.h"
#include "cache/recent_messages.h"
#include "db_outcome.h"
#include "delivery/hub.h"
#include "logging/log.h"
#include "protocol/server_frames.h"
#include "storage/account_store.h"
#include "storage/membership_cache.h"
#include "storage/message_store.h"
#include "storage/moderation_store.h"
#include "text/text_rules.h"
#include "time/clock.h"

#include <QJsonDocument>
#include <QJsonObject>

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

ApiError noSuchReport()
{
    return ApiError::notFound(QStringLiteral("no such report"));
}

QJsonObject objectOf(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

} // namespace

const QList<QString> &Moderation::actions()
{
    static const QList<QString> all = {
        QStringLiteral("ban"),           QStringLiteral("unban"),
        QStringLiteral("kick"),          QStringLiteral("kick_connection"),
        QStringLiteral("delete_message"), QStringLiteral("resolve_report"),
        QStringLiteral("read_context"),   QStringLiteral("retry_job"),
        QStringLiteral("drop_job")};
    return all;
}

template<typename Done>
void Moderation::spendAdminBudget(const Caller &caller, qint64 actorId, Done done,
                                  std::function<void()> then)
{
    spendAdminAction(m_deps, caller, actorId, std::move(then),
                     [done](ApiError e) { done(std::move(e)); });
}

void Moderation::announce(Db &db, qint64 logId)
{
    announceLogEntry(m_deps.adminEvents, db, logId);
}

void Moderation::ban(const Caller &caller, qint64 actor, qint64 target, const QString &reason,
                     StatusDone done)
{
    if (target == actor) {
        done(ApiError::badRequest(QStringLiteral("you cannot ban yourself")));
        return;
    }
    spendAdminBudget(caller, actor, done, [=, this] {
        readOutcome<Nothing>(
            m_deps.readers, caller, "ban",
            [=, this](Db &db) -> Status {
                if (!store::userById(db, target))
                    return noSuchUser();
                const qint64 now = nowMs();
                Transaction tx(db);
                store::banUser(db, target, reason, now);
                store::deleteSessionsOfUser(db, target);
                const qint64 log =
                    store::logModeration(db, actor, QStringLiteral("ban"), target, 0, reason, now);
                tx.commit();
                announce(db, log);
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
    });
}

void Moderation::unban(const Caller &caller, qint64 actor, qint64 target, StatusDone done)
{
    spendAdminBudget(caller, actor, done, [=, this] {
        readOutcome<Nothing>(
            m_deps.readers, caller, "unban",
            [=, this](Db &db) -> Status {
                if (!store::userById(db, target))
                    return noSuchUser();
                Transaction tx(db);
                store::unbanUser(db, target);
                const qint64 log = store::logModeration(db, actor, QStringLiteral("unban"), target,
                                                        0, {}, nowMs());
                tx.commit();
                announce(db, log);
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
    });
}

void Moderation::kick(const Caller &caller, qint64 actor, qint64 target, StatusDone done)
{
    spendAdminBudget(caller, actor, done, [=, this] {
        readOutcome<Nothing>(
            m_deps.readers, caller, "kick",
            [=, this](Db &db) -> Status {
                if (!store::userById(db, target))
                    return noSuchUser();
                announce(db, store::logModeration(db, actor, QStringLiteral("kick"), target, 0, {},
                                                  nowMs()));
                return Nothing{};
            },
            [this, target, done](Status s) {
                if (s.ok())
                    m_deps.hub.closeUser(target, kKickedClose, QStringLiteral("kicked"));
                done(s);
            });
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
    spendAdminBudget(caller, actor, done, [=, this, &members] {
        readOutcome<Deleted>(
            m_deps.readers, caller, "delete message",
            [=, this, &members](Db &db) -> Outcome<Deleted> {
                const auto msg = store::messageById(db, id);
                if (!msg)
                    return noSuchMessage();
                Transaction tx(db);
                store::deleteMessage(db, id, nowMs());
                const qint64 log = store::logModeration(db, actor, QStringLiteral("delete_message"),
                                                        msg->senderId, id, {}, nowMs());
                tx.commit();
                announce(db, log);
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
                // Drop the cached history first: whoever reloads after hearing
                // of the deletion reads it deleted.
                const Deleted deleted = d.value();
                m_deps.recent.drop(deleted.conversationId, caller.home,
                                   [this, ref, deleted, id, done] {
                                       m_deps.hub.sendToUsers(
                                           deleted.participants,
                                           frames::messageDeleted(deleted.conversationId, id));
                                       if (ref.live())
                                           done(Nothing{});
                                   });
            });
    });
}

void Moderation::report(const Caller &caller, qint64 me, qint64 messageId, const QString &reason,
                        ReportDone done)
{
    MembershipCache &members = m_deps.members;
    AdminEvents *events = m_deps.adminEvents;
    readOutcome<qint64>(
        m_deps.readers, caller, "report",
        [=, &members](Db &db) -> Outcome<qint64> {
            const auto msg = store::messageById(db, messageId);
            const auto m = msg ? members.load(db, msg->conversationId) : std::nullopt;
            if (!msg || !m || !m->contains(me))
                return noSuchMessage();
            const qint64 id = store::insertReport(db, messageId, me, reason, nowMs());
            // Moderators online anywhere hear of it at once.
            if (events)
                if (const auto r = store::reportById(db, id))
                    events->publish("report_filed", objectOf(reportJson(*r)));
            return id;
        },
        std::move(done));
}

void Moderation::resolve(const Caller &caller, qint64 actor, qint64 reportId,
                         const QString &resolution, const QString &note, ResolvedDone done)
{
    AdminEvents *events = m_deps.adminEvents;
    spendAdminBudget(caller, actor, done, [=, this] {
        readOutcome<Report>(
            m_deps.readers, caller, "resolve report",
            [=, this](Db &db) -> Outcome<Report> {
                const auto before = store::reportById(db, reportId);
                if (!before)
                    return noSuchReport();
                const qint64 now = nowMs();
                Transaction tx(db);
                // The update only takes an open report, so of two moderators
                // at once one wins and the other gets 409.
                if (!store::resolveReport(db, reportId, actor, resolution, note, now))
                    return ApiError::conflict(QStringLiteral("the report is resolved already"));
                const qint64 log = store::logModeration(
                    db, actor, QStringLiteral("resolve_report"), before->message.senderId,
                    before->message.id, resolution, now, reportId);
                tx.commit();
                announce(db, log);
                auto after = store::reportById(db, reportId);
                if (!after)
                    return noSuchReport();
                qCInfo(lcApp).noquote() << "report" << reportId << resolution << "by" << actor;
                if (events)
                    events->publish("report_resolved", objectOf(reportJson(*after)));
                return *after;
            },
            done);
    });
}

void Moderation::context(const Caller &caller, qint64 actor, qint64 reportId, qint64 before,
                         qint64 after, ContextDone done)
{
    MembershipCache &members = m_deps.members;
    spendAdminBudget(caller, actor, done, [=, this, &members] {
        readOutcome<Context>(
            m_deps.readers, caller, "report context",
            [=, this, &members](Db &db) -> Outcome<Context> {
                auto report = store::reportById(db, reportId);
                if (!report)
                    return noSuchReport();
                Context c{*report, {}, {}};
                const qint64 conversation = report->message.conversationId;
                // Audited before anything of the conversation is read.
                qCInfo(lcApp) << "conversation" << conversation << "read by" << actor
                              << "through report" << reportId;
                const qint64 log = store::logModeration(
                    db, actor, QStringLiteral("read_context"), report->message.senderId,
                    report->message.id, {}, nowMs(), reportId);
                c.messages =
                    store::messagesAround(db, conversation, report->message.id, before, after);
                if (const auto m = members.load(db, conversation))
                    for (qint64 id : {m->userA, m->userB})
                        if (const auto u = store::userById(db, id))
                            c.participants << u->user;
                announce(db, log);
                return c;
            },
            done);
    });
}

void Moderation::reports(const Caller &caller, ReportState state, qint64 limit, qint64 offset,
                         ReportsDone done)
{
    const store::ReportState s = state == ReportState::Open     ? store::ReportState::Open
                                 : state == ReportState::Resolved ? store::ReportState::Resolved
                                                                  : store::ReportState::All;
    readOutcome<Page<Report>>(
        m_deps.readers, caller, "report list",
        [=](Db &db) -> Outcome<Page<Report>> {
            return Page<Report>{store::reports(db, s, limit, offset), store::reportCount(db, s)};
        },
        std::move(done));
}

void Moderation::users(const Caller &caller, const UserQuery &q, UsersDone done)
{
    const store::UserFilter f{foldForSearch(q.text.trimmed()), q.role, q.banned, q.limit,
                              q.offset};
    readOutcome<Page<AdminUser>>(
        m_deps.readers, caller, "user search",
        [f](Db &db) -> Outcome<Page<AdminUser>> {
            return Page<AdminUser>{store::searchUsers(db, f), store::countUsers(db, f)};
        },
        std::move(done));
}

void Moderation::log(const Caller &caller, const LogQuery &q, bool targetMustExist, LogDone done)
{
    const store::LogFilter f{q.actorId, q.targetId, q.action, q.limit, q.offset};
    readOutcome<Page<LogEntry>>(
        m_deps.readers, caller, "moderation log",
        [f, targetMustExist](Db &db) -> Outcome<Page<LogEntry>> {
            if (targetMustExist && !store::userById(db, f.targetId))
                return noSuchUser();
            return Page<LogEntry>{store::moderationLog(db, f), store::moderationLogCount(db, f)};
        },
        std::move(done));
}

} // namespace sanayicin::chat
