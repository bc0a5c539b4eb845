#pragma once

#include "protocol/delivered_message.h"
#include "threading/reply_to.h"

#include <QHash>
#include <QList>
#include <QMutex>
#include <QObject>
#include <QString>
#include <functional>
#include <optional>
#include <memory>

namespace sanayicin {

class ConnectionHost;
struct ConnectionSummary;
class Gauge;
class PresenceView;

// This instance's connections: the network threads that hold them and how
// many each user has here. It forwards messages, frames and close orders to
// those threads and never reaches another instance or calls anything above
// it; delivery, presence and the session re-check use it directly, and the
// Hub builds the instance-wide operations on it. Callable from any thread.
class LocalHub
{
public:
    // `view`: who is online elsewhere (from Redis); `onlineGauge` may be null.
    LocalHub(const PresenceView &view, Gauge *onlineGauge);

    // On the host's own thread: what is forwarded to it goes through that
    // thread's mailbox and runs only while the host lives (asked there), so
    // a host that stops while messages are on their way is never touched.
    void addHost(ConnectionHost *host);
    void removeHost(ConnectionHost *host);

    // After ordering and gap filling: straight to this instance's threads.
    void deliverToHosts(std::shared_ptr<const MessageBatch> batch);
    void sendToUsersHere(const QList<qint64> &users, const QByteArray &frame);
    void closeUserHere(qint64 userId, int code, const QString &reason);
    void closeTokenHere(qint64 userId, const QByteArray &tokenHash, int code,
                        const QString &reason);
    void closeAllHere(int code, const QString &reason);

    // Live connections per user on this instance. True when the user's first
    // connection here opened, or the last one closed.
    [[nodiscard]] bool connectionOpened(qint64 userId);
    [[nodiscard]] bool connectionClosed(qint64 userId);
    bool isConnectedHere(qint64 userId) const;
    QList<qint64> usersHere() const;
    // Online anywhere: here, or on another instance as far as we know.
    bool isOnline(qint64 userId) const;
    int usersOnlineHere() const;

    // Every connection of this instance, gathered from the network threads;
    // `done` runs on `home`'s thread if `home` still lives then (a host that
    // stops meanwhile counts as having none). Called from another thread,
    // the call is queued to `home`'s thread first.
    void gatherConnections(QObject *home, std::function<void(QList<ConnectionSummary>)> done);
    // Closes this instance's connection `connectionId` (ids are unique per
    // instance); `done` gets its user id (0 before authentication), or
    // nothing if no such connection is open here. Threads as above.
    void closeConnectionHere(QObject *home, qint64 connectionId, int code, const QString &reason,
                             std::function<void(std::optional<qint64>)> done);

private:
    template<typename T>
    void askEveryHost(QObject *home, std::function<T(ConnectionHost *)> ask,
                      std::function<void(QList<T>)> done);
    struct Host
    {
        ConnectionHost *host;
        ReplyTo to; // the host's thread's mailbox, guarded by the host
    };
    template<typename F>
    void onEveryHost(F f);

    const PresenceView &m_view;
    Gauge *m_onlineGauge;
    mutable QMutex m_mutex;
    QHash<qint64, int> m_connections;
    QList<Host> m_hosts;
};

} // namespace sanayicin
