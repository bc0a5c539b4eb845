#pragma once

#include "objects.h"

#include <QByteArray>
#include <memory>
#include <vector>

namespace sanayicin {

// A committed message on its way to connections: serialised once, here, and
// the same bytes shared (implicitly, by reference count) by every recipient.
// Here in common/ because every layer between the writer and the sockets
// passes it on (storage makes it, the Redis bridge carries it, the caches
// keep it, delivery orders it).
struct DeliveredMessage
{
    Message message;
    qint64 userA = 0;
    qint64 userB = 0;
    qint64 originConnection = 0; // gets the ack instead of the message frame
    QByteArray json;             // the Message object
    QByteArray frame;            // {"type":"message","message":...}

    static std::shared_ptr<const DeliveredMessage> make(const Message &message, qint64 userA,
                                                        qint64 userB, qint64 originConnection);
};

using MessageBatch = std::vector<std::shared_ptr<const DeliveredMessage>>;

} // namespace sanayicin
