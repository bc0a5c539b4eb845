#pragma once

#include "db.h"

#include <QList>
#include <QString>
#include <optional>

namespace sanayicin::store {

// What a webhook notification tells about one conversation: the peer's
// messages that the recipient has neither read nor been notified of.
struct UnreadFromPeer
{
    qint64 conversationId = 0;
    qint64 peerId = 0;
    QString peerDisplayName;
    qint64 count = 0;
    qint64 firstMessageId = 0;
    qint64 lastMessageId = 0;
    qint64 lastMessageAtMs = 0;
};

// The recipient's notification lease (notification_marks, migration 0009):
// the watermark of what earlier notifications covered when the lease was
// free or expired at `nowMs`, else nothing (another run holds it).
std::optional<qint64> takeNotificationLease(Db &db, qint64 userId, const QByteArray &token,
                                            qint64 untilMs, qint64 nowMs);
void releaseNotificationLease(Db &db, qint64 userId, const QByteArray &token);
// After a delivered notification: the watermark moves up to `upToMessageId`
// (never down) and the lease `token` is released if it still holds.
void markNotified(Db &db, qint64 userId, qint64 upToMessageId, qint64 nowMs,
                  const QByteArray &token);
// Newest conversation first, at most `limit` of them.
QList<UnreadFromPeer> unreadToNotify(Db &db, qint64 userId, qint64 afterMessageId, qint64 limit);

} // namespace sanayicin::store
