#include "bridge.h"

#include "admin_wire.h"

#include "logging/log.h"
#include "metrics/metrics.h"

#include <hiredis/hiredis.h>

namespace sanayicin {

Bridge::Bridge(RedisUrl url, QString instanceId, Counters counters, QObject *parent)
    : QObject(parent), m_url(url), m_instanceId(std::move(instanceId)), m_counters(counters)
    , m_commands(url, QStringLiteral("redis commands"), this)
    , m_subscriber(url, QStringLiteral("redis subscriber"), this), m_scripts(m_commands)
    , m_replyChannel(admin::replyChannel(m_instanceId))
{
    for (RedisConnection *c : {&m_commands, &m_subscriber}) {
        connect(c, &RedisConnection::connected, this, &Bridge::connectionChanged);
        connect(c, &RedisConnection::disconnected, this, &Bridge::connectionChanged);
    }
    m_subscriber.subscribe({kMessagesChannel, kEventsChannel, admin::kRequestChannel,
                            m_replyChannel, admin::kEventsChannel},
                           [this](const QByteArray &channel, const QByteArray &payload) {
                               onMessage(channel, payload);
                           });
}

void Bridge::start()
{
    m_commands.start();
    m_subscriber.start();
}

void Bridge::connectionChanged()
{
    const bool up = isUp();
    if (up == m_wasUp)
        return;
    m_wasUp = up;
    if (up) {
        if (m_everUp)
            m_counters.reconnects.inc();
        m_everUp = true;
        Q_EMIT reconnected();
    } else {
        Q_EMIT wentDown();
    }
}

bool Bridge::publishBatch(const MessageBatch &batch)
{
    if (!m_commands.command({"PUBLISH", kMessagesChannel, wire::encodeBatch(m_instanceId, batch)}))
        return false;
    m_counters.published.inc();
    return true;
}

bool Bridge::publishEvent(wire::Event event)
{
    event.origin = m_instanceId;
    if (!m_commands.command({"PUBLISH", kEventsChannel, wire::encodeEvent(event)}))
        return false;
    m_counters.published.inc();
    return true;
}

bool Bridge::publish(const QByteArray &channel, const QByteArray &payload)
{
    if (!m_commands.command({"PUBLISH", channel, payload}))
        return false;
    m_counters.published.inc();
    return true;
}

void Bridge::onMessage(const QByteArray &channel, const QByteArray &payload)
{
    if (channel == kMessagesChannel) {
        auto batch = wire::decodeBatch(payload);
        if (!batch) {
            qCWarning(lcBridge) << "dropped an undecodable batch of" << payload.size() << "bytes";
            return;
        }
        if (batch->origin == m_instanceId)
            return;
        m_counters.received.inc();
        Q_EMIT batchReceived(*batch);
    } else if (channel == kEventsChannel) {
        auto event = wire::decodeEvent(payload);
        if (!event) {
            qCWarning(lcBridge) << "dropped an undecodable event of" << payload.size() << "bytes";
            return;
        }
        if (event->origin == m_instanceId)
            return;
        m_counters.received.inc();
        Q_EMIT eventReceived(*event);
    } else if (channel == admin::kRequestChannel) {
        Q_EMIT adminRequestReceived(payload);
    } else if (channel == m_replyChannel) {
        Q_EMIT adminReplyReceived(payload);
    } else if (channel == admin::kEventsChannel) {
        Q_EMIT adminBroadcastReceived(payload);
    }
}

} // namespace sanayicin
