#pragma once

#include "db.h"
#include "protocol/moderation_objects.h"

#include <optional>

namespace sanayicin::store {

// Reports, the moderation log and the console's user search (migration 0007).

// What the console searches users by: username and display name, folded
// like the directory (foldForSearch), space-separated.
QString userSearchKey(const QString &username, const QString &displayName);
// Fills the key of users from before migration 0007; returns how many.
qint64 fillUserSearchKeys(Db &db);

enum class ReportState { Open, Resolved, All };

QList<Report> reports(Db &db, ReportState state, qint64 limit, qint64 offset);
qint64 reportCount(Db &db, ReportState state);
std::optional<Report> reportById(Db &db, qint64 id);
// False when the report was resolved already (or does not exist).
bool resolveReport(Db &db, qint64 id, qint64 actorId, const QString &resolution,
                   const QString &note, qint64 nowMs);

// The message `messageId` of `conversationId` with up to `before` older and
// `after` newer ones, oldest first.
QList<Message> messagesAround(Db &db, qint64 conversationId, qint64 messageId, qint64 before,
                              qint64 after);

struct UserFilter
{
    QString text;   // folded (foldForSearch), matched as a substring; empty: any
    QString role;   // empty: any
    QString banned; // "true", "false" or empty: any
    qint64 limit = 50;
    qint64 offset = 0;
};
QList<AdminUser> searchUsers(Db &db, const UserFilter &filter);
qint64 countUsers(Db &db, const UserFilter &filter);

struct LogFilter
{
    qint64 actorId = 0;  // 0: any
    qint64 targetId = 0; // 0: any
    QString action;      // empty: any
    qint64 limit = 50;
    qint64 offset = 0;
};
QList<LogEntry> moderationLog(Db &db, const LogFilter &filter);
qint64 moderationLogCount(Db &db, const LogFilter &filter);
std::optional<LogEntry> logEntry(Db &db, qint64 id);

} // namespace sanayicin::store
