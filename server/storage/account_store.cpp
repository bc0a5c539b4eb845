#include "account_store.h"

#include "batched_lookup.h"
#include "moderation_store.h"
#include "pg_arrays.h"
#include "row_readers.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace sanayicin::store {

std::optional<UserRecord> userByUsername(Db &db, const QString &username)
{
    const DbRows rows = db.query(QStringLiteral("user_by_username"), {username});
    if (rows.isEmpty())
        return std::nullopt;
    return UserRecord{readUser(rows, 0, 0), !rows.isNull(0, 5), rows.text(0, 6)};
}

std::optional<UserRecord> userById(Db &db, qint64 id)
{
    const DbRows rows = db.query(QStringLiteral("user_by_id"), {id});
    if (rows.isEmpty())
        return std::nullopt;
    return UserRecord{readUser(rows, 0, 0), !rows.isNull(0, 5), {}};
}

qint64 insertUser(Db &db, const QString &username, const QString &displayName, Role role,
                  const QString &passwordHash, qint64 nowMs)
{
    // No hash means hashing failed (PasswordHasher::hash): never store an
    // account that any password, or none, might open.
    if (passwordHash.isEmpty())
        throw DbError(DbError::Kind::Other, QStringLiteral("user_insert"),
                      QStringLiteral("no password hash"));
    const DbRows rows = db.query(QStringLiteral("user_insert"),
                                 {username, displayName, QString::fromLatin1(roleName(role)),
                                  passwordHash, nowMs, userSearchKey(username, displayName)});
    return rows.int64(0, 0);
}

bool insertSession(Db &db, const QByteArray &tokenHash, qint64 userId, qint64 nowMs,
                   qint64 expiresAtMs)
{
    return db.query(QStringLiteral("session_insert"), {tokenHash, userId, nowMs, expiresAtMs})
               .affected()
           > 0;
}

std::optional<SessionRecord> sessionUser(Db &db, const QByteArray &tokenHash)
{
    const DbRows rows = db.query(QStringLiteral("session_user"), {tokenHash});
    if (rows.isEmpty())
        return std::nullopt;
    return SessionRecord{readUser(rows, 0, 0), !rows.isNull(0, 5), rows.int64(0, 6)};
}

bool deleteSession(Db &db, const QByteArray &tokenHash)
{
    return db.query(QStringLiteral("session_delete"), {tokenHash}).affected() > 0;
}

QList<QByteArray> deleteSessionsOfUser(Db &db, qint64 userId)
{
    const DbRows rows = db.query(QStringLiteral("sessions_delete_for_user"), {userId});
    QList<QByteArray> out;
    for (int r = 0; r < rows.size(); ++r)
        out << rows.utf8(r, 0);
    return out;
}

qint64 deleteExpiredSessions(Db &db, qint64 nowMs)
{
    return db.query(QStringLiteral("sessions_delete_expired"), {nowMs}).affected();
}

QSet<QByteArray> liveSessions(Db &db, const QList<QByteArray> &tokenHashes, qint64 nowMs)
{
    QByteArray list;
    if (db.dialect() == Dialect::Sqlite) {
        QJsonArray a;
        for (const QByteArray &h : tokenHashes)
            a.append(QString::fromLatin1(h));
        list = QJsonDocument(a).toJson(QJsonDocument::Compact);
    } else {
        QList<QString> texts;
        for (const QByteArray &h : tokenHashes)
            texts << QString::fromLatin1(h);
        list = pgTextArray(texts);
    }
    const DbRows rows = db.query(QStringLiteral("sessions_live"), {list, nowMs});
    QSet<QByteArray> out;
    for (int r = 0; r < rows.size(); ++r)
        out.insert(rows.utf8(r, 0));
    return out;
}

QSet<qint64> bannedAmong(Db &db, const std::vector<qint64> &userIds)
{
    const DbRows rows =
        db.query(QStringLiteral("users_banned"), {idListParameter(db.dialect(), userIds)});
    QSet<qint64> out;
    for (int r = 0; r < rows.size(); ++r)
        out.insert(rows.int64(r, 0));
    return out;
}

bool banUser(Db &db, qint64 userId, const QString &reason, qint64 nowMs)
{
    return db.query(QStringLiteral("user_ban"), {userId, nowMs, reason}).affected() > 0;
}

bool unbanUser(Db &db, qint64 userId)
{
    return db.query(QStringLiteral("user_unban"), {userId}).affected() > 0;
}

qint64 logModeration(Db &db, qint64 actorId, const QString &action, qint64 targetUserId,
                     qint64 targetMessageId, const QString &reason, qint64 nowMs, qint64 reportId)
{
    auto orNull = [](qint64 id) { return id ? DbValue(id) : DbValue(); };
    return db.query(QStringLiteral("moderation_log_insert"),
                    {actorId, action, orNull(targetUserId), orNull(targetMessageId), reason, nowMs,
                     orNull(reportId)})
        .int64(0, 0);
}

} // namespace sanayicin::store
