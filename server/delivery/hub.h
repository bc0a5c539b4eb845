#pragma once

#include "delivered_message.h"

#include <QHash>
#include <QList>
#include <QMutex>
#include <QString>
#include <memory>

namespace sanayicin {

class ConnectionHost;
class DeliveryService;
class Gauge;

// The instance's switchboard, callable from any thread: it knows who is
// connected (presence) and forwards messages, frames and close orders to the
// network threads that hold the connections.
class Hub
{
public:
    Hub();

    void addHost(ConnectionHost *host);
    void removeHost(ConnectionHost *host);
    void setDeliveryService(DeliveryService *service) { m_delivery = service; }
    void setOnlineGauge(Gauge *gauge) { m_onlineGauge = gauge; }

    // A batch committed by this instance's writer, in commit order.
    void publishCommitted(std::shared_ptr<const MessageBatch> batch);
    // After ordering and gap filling: straight to the network threads.
    void deliverToHosts(std::shared_ptr<const MessageBatch> batch);

    void sendToUsers(const QList<qint64> &users, const QByteArray &frame);
    void closeUser(qint64 userId, int code, const QString &reason);
    void closeToken(qint64 userId, const QByteArray &tokenHash, int code,
                            const QString &reason);
    void closeAll(int code, const QString &reason);

    // Presence: counts live connections per user.
    void connectionOpened(qint64 userId);
    void connectionClosed(qint64 userId);
    bool isOnline(qint64 userId) const;
    int onlineUsers() const;
    // A new conversation changes whose presence these two users see.
    void peersChanged(qint64 userA, qint64 userB);

private:
    template<typename F>
    void onEveryHost(F f);

    mutable QMutex m_mutex;
    QHash<qint64, int> m_connections;
    QList<ConnectionHost *> m_hosts;
    DeliveryService *m_delivery = nullptr;
    Gauge *m_onlineGauge = nullptr;
};

} // namespace sanayicin
