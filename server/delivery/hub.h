#pragma once

#include "protocol/delivered_message.h"

#include <QHash>
#include <QList>
#include <QMutex>
#include <QObject>
#include <QString>
#include <functional>
#include <memory>

namespace sanayicin {

class ConnectionHost;
struct ConnectionSummary;
class DeliveryService;
class Gauge;
class PresenceView;
class SessionCache;

// The instance's switchboard, callable from any thread. It knows who is
// connected here, forwards messages, frames and close orders to the network
// threads that hold the connections, and (through the delivery service and
// its Redis bridge, when there is one) to the other instances.
class Hub
{
public:
    explicit Hub(SessionCache &sessions);

    void addHost(ConnectionHost *host);
    void removeHost(ConnectionHost *host);
    void setDeliveryService(DeliveryService *service) { m_delivery = service; }
    void setPresenceView(PresenceView *view) { m_view = view; }
    void setOnlineGauge(Gauge *gauge) { m_onlineGauge = gauge; }

    // After ordering and gap filling: straight to this instance's threads.
    void deliverToHosts(std::shared_ptr<const MessageBatch> batch);

    // Every instance (this one directly, the others through Redis).
    void sendToUsers(const QList<qint64> &users, const QByteArray &frame);
    void closeUser(qint64 userId, int code, const QString &reason);
    void closeToken(qint64 userId, const QByteArray &tokenHash, int code, const QString &reason);
    void revokeUser(qint64 userId);
    void revokeToken(qint64 userId, const QByteArray &tokenHash);
    void peersChanged(qint64 userA, qint64 userB);

    // This instance only (what arrives from the others).
    void sendToUsersHere(const QList<qint64> &users, const QByteArray &frame);
    void closeUserHere(qint64 userId, int code, const QString &reason);
    void closeTokenHere(qint64 userId, const QByteArray &tokenHash, int code,
                        const QString &reason);
    void closeAllHere(int code, const QString &reason);

    // Presence: live connections per user on this instance.
    void connectionOpened(qint64 userId);
    void connectionClosed(qint64 userId);
    bool isConnectedHere(qint64 userId) const;
    QList<qint64> usersHere() const;
    // Online anywhere: here, or on another instance as far as we know.
    bool isOnline(qint64 userId) const;
    int usersOnlineHere() const;

    SessionCache &sessions() { return m_sessions; }

    // Every connection of this instance, gathered from the network threads;
    // `done` runs on `home`'s thread.
    void gatherConnections(QObject *home, std::function<void(QList<ConnectionSummary>)> done);

private:
    template<typename F>
    void onEveryHost(F f);

    SessionCache &m_sessions;
    mutable QMutex m_mutex;
    QHash<qint64, int> m_connections;
    QList<ConnectionHost *> m_hosts;
    DeliveryService *m_delivery = nullptr;
    PresenceView *m_view = nullptr;
    Gauge *m_onlineGauge = nullptr;
};

} // namespace sanayicin
