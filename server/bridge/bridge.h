#pragma once

#include "redis_connection.h"
#include "redis_scripts.h"
#include "wire_format.h"

#include <QObject>
#include <memory>

namespace sanayicin {

class Counter;

// This instance's line to the others through Redis: one subscriber and one
// command connection, both on the delivery thread's event loop. Messages and
// events are published on two channels that every instance subscribes to;
// what an instance receives from itself is dropped here.
class Bridge : public QObject
{
    Q_OBJECT
public:
    static constexpr const char *kMessagesChannel = "sanayicin:messages";
    static constexpr const char *kEventsChannel = "sanayicin:events";

    // The daemon's counters for what the bridge does (common/metrics).
    struct Counters
    {
        Counter &published;
        Counter &received;
        Counter &reconnects;
    };

    Bridge(RedisUrl url, QString instanceId, Counters counters, QObject *parent = nullptr);

    void start();
    bool isUp() const { return m_commands.isConnected() && m_subscriber.isConnected(); }
    const QString &instanceId() const { return m_instanceId; }

    // False when Redis is not reachable right now (the caller decides what
    // that means; pub/sub may lose messages in any case).
    bool publishBatch(const MessageBatch &batch);
    bool publishEvent(wire::Event event);
    // The console's cluster questions (admin_wire.h): payloads as they are.
    bool publish(const QByteArray &channel, const QByteArray &payload);

    RedisConnection &commands() { return m_commands; }
    RedisScripts &scripts() { return m_scripts; }

Q_SIGNALS:
    void batchReceived(const sanayicin::wire::Batch &batch);
    void eventReceived(const sanayicin::wire::Event &event);
    // On admin::kRequestChannel (from any instance, this one included) and on
    // this instance's admin::replyChannel: undecoded, hostile until decoded.
    void adminRequestReceived(const QByteArray &payload);
    void adminReplyReceived(const QByteArray &payload);
    // On admin::kEventsChannel (the admin streams'), this instance's own
    // broadcasts included: undecoded.
    void adminBroadcastReceived(const QByteArray &payload);
    // Both connections up again after being down (or for the first time):
    // anything published meanwhile may have been lost.
    void reconnected();
    void wentDown();

private:
    void onMessage(const QByteArray &channel, const QByteArray &payload);
    void connectionChanged();

    RedisUrl m_url;
    QString m_instanceId;
    Counters m_counters;
    RedisConnection m_commands;
    RedisConnection m_subscriber;
    RedisScripts m_scripts;
    QByteArray m_replyChannel; // the console's answers to this instance
    bool m_wasUp = false;
    bool m_everUp = false;
};

} // namespace sanayicin
