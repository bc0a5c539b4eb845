#include "delivered_message.h"

#include "protocol/server_frames.h"

namespace sanayicin {

std::shared_ptr<const DeliveredMessage> DeliveredMessage::make(const Message &message,
                                                               qint64 userA, qint64 userB,
                                                               qint64 originConnection)
{
    auto d = std::make_shared<DeliveredMessage>();
    d->message = message;
    d->userA = userA;
    d->userB = userB;
    d->originConnection = originConnection;
    d->json = messageJson(message);
    d->frame = frames::message(d->json);
    return d;
}

} // namespace sanayicin
