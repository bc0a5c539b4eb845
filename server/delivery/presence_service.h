#pragma once

#include "bridge/wire_format.h"
#include "protocol/delivered_message.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>
#include <functional>

namespace sanayicin {

class Bridge;
template<typename Value>
class BatchedLookup;
class Db;
class LocalHub;
class PresenceView;

// Turns connections coming and going into `presence` frames for the users who
// share a conversation both of them see (it has a message, or both opened
// it: protocol.md), on the delivery thread. Alone, an instance decides
// from its own connections. With Redis, a user is online while any instance
// holds a connection: scripts record which instances hold whom, instances
// send heartbeats, and the users of an instance whose heartbeat stops are
// taken offline by whichever instance notices first.
class PresenceService : public QObject
{
    Q_OBJECT
public:
    PresenceService(LocalHub &local, BatchedLookup<QList<qint64>> &peers, Bridge *bridge,
                    PresenceView &view, QString instanceId, QObject *parent);

    // This instance's connections of the user changed from none to some or
    // back.
    void localChanged(qint64 userId);
    void remoteChanged(const wire::Event &event);
    void forgetPeers(qint64 userA, qint64 userB);
    // Every message this instance delivers, local or from another instance.
    // A conversation's first message starts presence between its two
    // participants: each connected here who has an online peer gets a
    // `presence` frame for them.
    void messagesArrived(const MessageBatch &batch);
    // Graceful stop: this instance's users leave now rather than at reaping.
    // `db` (the delivery thread's) answers the last look-ups synchronously.
    void shutdown(Db *db);
    // Given once the instance serves (its listener's port known); sends a
    // heartbeat with it at once, so no instance is listed half-known.
    void setSummaryProvider(std::function<QByteArray()> provider);

private:
    void announce(qint64 userId, bool online, qint64 version);
    void tellOnlineHere(qint64 to, qint64 about);
    void join(qint64 userId);
    void leave(qint64 userId);
    void onBridgeUp();
    void heartbeat();
    void reap();
    // Sends `frame` to the user's peers once they are known (cached, or
    // looked up with others on the read pool).
    void withPeers(qint64 userId, std::function<void(const QList<qint64> &)> then);

    LocalHub &m_local;
    BatchedLookup<QList<qint64>> &m_lookup;
    Bridge *m_bridge;
    PresenceView &m_view;
    QString m_instanceId;
    QHash<qint64, QList<qint64>> m_peers;
    // When each user's peers were last forgotten (a counter, not a time): a
    // look-up that started before must not cache its answer.
    QHash<qint64, quint64> m_forgotAt;
    quint64 m_clock = 0;
    quint64 m_forgotAllAt = 0;
    // Announcements waiting for a user's peers, in order: a later one for
    // the same user never overtakes an earlier one.
    QHash<qint64, QList<std::function<void(const QList<qint64> &)>>> m_waiting;
    Db *m_shutdownDb = nullptr;
    QHash<qint64, bool> m_announced; // alone: what peers were last told
    QTimer m_heartbeatTimer;
    QTimer m_reapTimer;
    bool m_firstHeartbeat = true;
    std::function<QByteArray()> m_summary;
};

} // namespace sanayicin
