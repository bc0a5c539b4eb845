#include "delivered_message.h"

#include "json/json_writer.h"

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
    d->frame.reserve(d->json.size() + 30);
    d->frame += "{\"type\":\"message\",\"message\":";
    d->frame += d->json;
    d->frame += '}';
    return d;
}

namespace {

QByteArray ack(const QString &clientMsgId, const QByteArray &json)
{
    QByteArray out;
    out.reserve(json.size() + clientMsgId.size() + 48);
    out += "{\"type\":\"ack\",\"client_msg_id\":";
    appendJsonString(out, clientMsgId);
    out += ",\"message\":";
    out += json;
    out += '}';
    return out;
}

} // namespace

QByteArray ackFrame(const DeliveredMessage &message)
{
    return ack(message.message.clientMsgId, message.json);
}

QByteArray ackFrame(const Message &message)
{
    return ack(message.clientMsgId, messageJson(message));
}

} // namespace sanayicin
