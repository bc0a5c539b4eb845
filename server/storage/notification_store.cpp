#include "notification_store.h"

namespace sanayicin::store {

std::optional<qint64> takeNotificationLease(Db &db, qint64 userId, const QByteArray &token,
                                            qint64 untilMs, qint64 nowMs)
{
    const DbRows rows =
        db.query(QStringLiteral("notify_lease_take"), {userId, token, untilMs, nowMs});
    if (rows.isEmpty())
        return std::nullopt;
    return rows.int64(0, 0);
}

void releaseNotificationLease(Db &db, qint64 userId, const QByteArray &token)
{
    db.query(QStringLiteral("notify_lease_release"), {userId, token});
}

void markNotified(Db &db, qint64 userId, qint64 upToMessageId, qint64 nowMs,
                  const QByteArray &token)
{
    db.query(QStringLiteral("notify_mark_sent"), {userId, upToMessageId, nowMs, token});
}

QList<UnreadFromPeer> unreadToNotify(Db &db, qint64 userId, qint64 afterMessageId, qint64 limit)
{
    const DbRows rows = db.query(QStringLiteral("notify_unread"), {userId, afterMessageId, limit});
    QList<UnreadFromPeer> out;
    out.reserve(rows.size());
    for (int r = 0; r < rows.size(); ++r)
        out.push_back({rows.int64(r, 0), rows.int64(r, 1), rows.text(r, 2), rows.int64(r, 3),
                       rows.int64(r, 4), rows.int64(r, 5), rows.int64(r, 6)});
    return out;
}

} // namespace sanayicin::store
