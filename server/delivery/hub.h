#pragma once

#include "local_hub.h"

#include <QList>
#include <QString>
#include <functional>

namespace sanayicin {

struct ConnectionSummary;
class DeliveryService;
class SessionCache;

// The instance's switchboard as the transports see it, callable from any
// thread: what must reach every instance goes to this one's connections
// (LocalHub) and, through the delivery service and its Redis bridge, to the
// others. Calls go one way, Hub -> DeliveryService -> LocalHub: nothing
// below calls back up here, and everything is given at construction.
class Hub
{
public:
    Hub(LocalHub &local, SessionCache &sessions, DeliveryService &delivery);

    void addHost(ConnectionHost *host) { m_local.addHost(host); }
    void removeHost(ConnectionHost *host) { m_local.removeHost(host); }

    // Every instance (this one directly, the others through Redis).
    void sendToUsers(const QList<qint64> &users, const QByteArray &frame);
    void closeUser(qint64 userId, int code, const QString &reason);
    void closeToken(qint64 userId, const QByteArray &tokenHash, int code, const QString &reason);
    void revokeUser(qint64 userId);
    void revokeToken(qint64 userId, const QByteArray &tokenHash);
    void peersChanged(qint64 userA, qint64 userB);

    // This instance only.
    void sendToUsersHere(const QList<qint64> &users, const QByteArray &frame)
    {
        m_local.sendToUsersHere(users, frame);
    }
    void closeUserHere(qint64 userId, int code, const QString &reason)
    {
        m_local.closeUserHere(userId, code, reason);
    }
    void closeTokenHere(qint64 userId, const QByteArray &tokenHash, int code, const QString &reason)
    {
        m_local.closeTokenHere(userId, tokenHash, code, reason);
    }
    void closeAllHere(int code, const QString &reason) { m_local.closeAllHere(code, reason); }

    // Presence: live connections per user on this instance; the first one
    // opening and the last one closing tell the delivery service.
    void connectionOpened(qint64 userId);
    void connectionClosed(qint64 userId);
    bool isConnectedHere(qint64 userId) const { return m_local.isConnectedHere(userId); }
    QList<qint64> usersHere() const { return m_local.usersHere(); }
    // Online anywhere: here, or on another instance as far as we know.
    bool isOnline(qint64 userId) const { return m_local.isOnline(userId); }
    int usersOnlineHere() const { return m_local.usersOnlineHere(); }

    SessionCache &sessions() { return m_sessions; }
    LocalHub &local() { return m_local; }

    // Every connection of this instance, gathered from the network threads;
    // `done` runs on `home`'s thread.
    void gatherConnections(QObject *home, std::function<void(QList<ConnectionSummary>)> done)
    {
        m_local.gatherConnections(home, std::move(done));
    }

private:
    LocalHub &m_local;
    SessionCache &m_sessions;
    DeliveryService &m_delivery;
};

} // namespace sanayicin
