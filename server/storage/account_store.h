#pragma once

#include "db.h"
#include "protocol/objects.h"

#include <QSet>
#include <optional>
#include <vector>

namespace sanayicin::store {

struct UserRecord
{
    User user;
    bool banned = false;
    QString passwordHash; // filled by userByUsername only
};

struct SessionRecord
{
    User user;
    bool banned = false;
    qint64 expiresAtMs = 0;
};

std::optional<UserRecord> userByUsername(Db &db, const QString &username);
std::optional<UserRecord> userById(Db &db, qint64 id);
// Throws DbError(UniqueViolation) when the username is taken. Also stores the
// folded search key of the console's user search (userSearchKey).
qint64 insertUser(Db &db, const QString &username, const QString &displayName, Role role,
                  const QString &passwordHash, qint64 nowMs);

// False (nothing inserted) when the user is banned; the session carries the
// user's current generation, which a ban raises (session_user.sql).
bool insertSession(Db &db, const QByteArray &tokenHash, qint64 userId, qint64 nowMs,
                   qint64 expiresAtMs);
std::optional<SessionRecord> sessionUser(Db &db, const QByteArray &tokenHash);
bool deleteSession(Db &db, const QByteArray &tokenHash);
// Returns the hashes of the tokens it removed.
QList<QByteArray> deleteSessionsOfUser(Db &db, qint64 userId);
qint64 deleteExpiredSessions(Db &db, qint64 nowMs);

// Which of these sessions still work at `nowMs` (see sessions_live.sql).
QSet<QByteArray> liveSessions(Db &db, const QList<QByteArray> &tokenHashes, qint64 nowMs);
// Which of these users are banned.
QSet<qint64> bannedAmong(Db &db, const std::vector<qint64> &userIds);

bool banUser(Db &db, qint64 userId, const QString &reason, qint64 nowMs);
bool unbanUser(Db &db, qint64 userId);
// Returns the log entry's id; 0 means none for the targets and the report.
qint64 logModeration(Db &db, qint64 actorId, const QString &action, qint64 targetUserId,
                     qint64 targetMessageId, const QString &reason, qint64 nowMs,
                     qint64 reportId = 0);

} // namespace sanayicin::store
