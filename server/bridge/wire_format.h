#pragma once

#include "protocol/delivered_message.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <optional>

namespace sanayicin::wire {

// What instances tell each other through Redis pub/sub. Binary and
// little-endian: a batch of 1,000 messages is decoded without a JSON parser,
// and the message JSON travels as the bytes every recipient gets.

enum class EventKind : quint8 {
    Frame = 1,       // a frame for every connection of some users
    CloseUser = 2,   // close a user's sockets (kick 4000, ban 4003)
    CloseToken = 3,  // close the sockets of one token (logout 4001)
    RevokeUser = 4,  // drop a user's tokens from session caches
    RevokeToken = 5, // drop one token from session caches
    Presence = 6,    // a user's global presence changed
    PeersChanged = 7 // a new conversation: forget cached peer lists
};

struct Event
{
    EventKind kind = EventKind::Frame;
    QString origin; // instance id of the sender
    QList<qint64> users;
    QByteArray frame;     // Frame
    qint64 userId = 0;    // Close*, Revoke*, Presence
    int code = 0;         // Close*
    QString reason;       // Close*
    QByteArray tokenHash; // CloseToken, RevokeToken
    bool online = false;  // Presence
    qint64 version = 0;   // Presence
};

struct Batch
{
    QString origin;
    MessageBatch messages;
};

QByteArray encodeBatch(const QString &origin, const MessageBatch &batch);
std::optional<Batch> decodeBatch(const QByteArray &payload);
QByteArray encodeEvent(const Event &event);
std::optional<Event> decodeEvent(const QByteArray &payload);

} // namespace sanayicin::wire
