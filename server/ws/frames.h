#pragma once

#include "protocol/error_code.h"

#include <QByteArray>
#include <QString>

namespace sanayicin::frames {

// Server-to-client frames other than message/ack (delivered_message.h).

QByteArray hello(const QByteArray &userJson, const QString &instance, int heartbeatSeconds,
                 qint64 lastMessageId);
QByteArray error(ErrorCode code, const QString &message, const QString *ref = nullptr,
                 qint64 retryAfterMs = 0);
QByteArray typing(qint64 conversationId, qint64 userId);
QByteArray read(qint64 conversationId, qint64 userId, qint64 messageId);
QByteArray synced(qint64 lastId, bool hasMore);
QByteArray pong(const QByteArray *tsJson);
QByteArray messageDeleted(qint64 conversationId, qint64 messageId);

// read and message_deleted name a message, so a connection holding live
// messages holds them too, in order (a deletion must not overtake its message).
bool namesAMessage(QByteArrayView frame);
bool isTyping(QByteArrayView frame);

} // namespace sanayicin::frames
