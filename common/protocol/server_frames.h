#pragma once

#include "error_code.h"

#include <QByteArray>
#include <QString>

namespace sanayicin::frames {

// Every frame the server sends a client, as the finished bytes of a
// WebSocket text message. Events travel as these bytes (through the hub and
// across instances), so each is built once, whoever receives it.

QByteArray hello(const QByteArray &userJson, const QString &instance, int heartbeatSeconds,
                 qint64 lastMessageId);
// The admin stream's first frame (docs/protocol.md "Admin stream").
QByteArray welcome(qint64 seq, const QString &stream, const QByteArray &userJson,
                   const QString &instance, int heartbeatSeconds, bool resumed);
QByteArray error(ErrorCode code, const QString &message, const QString *ref = nullptr,
                 qint64 retryAfterMs = 0);
QByteArray typing(qint64 conversationId, qint64 userId);
QByteArray read(qint64 conversationId, qint64 userId, qint64 messageId);
QByteArray synced(qint64 lastId, bool hasMore);
QByteArray pong(const QByteArray *tsJson);
QByteArray messageDeleted(qint64 conversationId, qint64 messageId);
QByteArray presence(qint64 userId, bool online);
// {"type":"message","message":<messageJson>}: messageJson is a Message
// object as objects.h writes it.
QByteArray message(const QByteArray &messageJson);
// {"type":"ack","client_msg_id":...,"message":<messageJson>}
QByteArray ack(const QString &clientMsgId, const QByteArray &messageJson);

// read and message_deleted name a message, so a connection holding live
// messages holds them too, in order (a deletion must not overtake its message).
bool namesAMessage(QByteArrayView frame);
bool isTyping(QByteArrayView frame);

} // namespace sanayicin::frames
