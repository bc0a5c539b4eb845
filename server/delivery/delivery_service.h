#pragma once

#include "bridge/redis_url.h"
#include "bridge/wire_format.h"
#include "protocol/delivered_message.h"
#include "sequencer.h"
#include "storage/committed_batch_sink.h"
#include "storage/database_url.h"

#include <QObject>
#include <QThread>
#include <QTimer>
#include <functional>
#include <memory>
#include <optional>

namespace sanayicin {

class AdminFeed;
class Bridge;
class ClusterQueries;
class Db;
class LocalHub;
class PresenceService;
class PresenceView;
class RateLimiter;
class SessionCache;
class SharedState;
class DbPool;
namespace store {
struct MessageWithMembers;
}
template<typename Value>
class BatchedLookup;
class RecentMessages;
class DirectoryCache;
struct ServerMetrics;

// The delivery thread: every message passes through it on its way to the
// connections, whether committed here, published by another instance, or
// read from the database to fill a hole. The Sequencer decides what goes out
// and what must be read first, so each conversation's messages leave gapless
// and in seq order. With --redis it also hosts the Redis bridge (publishing
// this instance's batches and events, receiving the others'), and presence.
// It delivers through the LocalHub it is given and calls nothing above it;
// the Hub calls it.
class DeliveryService : public QObject, public CommittedBatchSink
{
    Q_OBJECT
public:
    // `localRecent` and `localDirectory` serve when there is no Redis.
    DeliveryService(LocalHub &local, SessionCache &sessions, DatabaseUrl database,
                    std::optional<RedisUrl> redis, QString instanceId, ServerMetrics &metrics,
                    PresenceView &view, RateLimiter &fallbackLimiter,
                    BatchedLookup<QList<qint64>> &peers, DbPool &readers,
                    RecentMessages &localRecent, DirectoryCache &localDirectory);
    ~DeliveryService() override;

    bool start(QString &error);
    void stop();

    // Thread-safe entry points.
    // The writer's batches (CommittedBatchSink): one queued call per batch.
    void committed(std::shared_ptr<const MessageBatch> batch) override;
    void broadcast(wire::Event event); // to the other instances, if any
    void presenceChanged(qint64 userId);
    void peersChanged(qint64 userA, qint64 userB, bool tellOthers);
    void revokeUser(qint64 userId);
    void revokeToken(qint64 userId, const QByteArray &tokenHash);
    bool bridgeUp() const { return m_bridgeUp.load(); }
    bool hasBridge() const { return m_redis.has_value(); }
    Bridge *bridge() const { return m_bridge; } // lives on the delivery thread
    SharedState *shared() const { return m_shared; } // thread-safe entry points
    // The console's questions to the other instances (thread-safe entry points).
    ClusterQueries &cluster() const { return *m_cluster; }
    // The admin stream of this instance (thread-safe entry points).
    AdminFeed &adminFeed() const { return *m_adminFeed; }
    // The recent-messages cache: in Redis with a bridge, else the local one.
    RecentMessages &recent() const;
    // The directory cache: in Redis with a bridge, else the local one.
    DirectoryCache &directory() const;
    // What this instance tells the others about itself with its heartbeat.
    void setSummaryProvider(std::function<QByteArray()> provider);

private:
    void process(const MessageBatch &batch);
    void deliver(const std::shared_ptr<MessageBatch> &out);
    void fillFromDatabase(std::function<QList<store::MessageWithMembers>(Db &)> read,
                          std::function<void(bool ok, const MessageBatch &)> done);
    void onRemoteEvent(const wire::Event &event);
    size_t arriveFromDatabase(const MessageBatch &batch, qint64 now, MessageBatch &out);
    void repairHoles();
    void checkTail();

    LocalHub &m_local;
    SessionCache &m_sessions;
    DatabaseUrl m_database;
    std::optional<RedisUrl> m_redis;
    QString m_instanceId;
    ServerMetrics &m_metrics;
    PresenceView &m_view;
    RateLimiter &m_fallbackLimiter;
    BatchedLookup<QList<qint64>> &m_peers;
    DbPool &m_readers;
    SharedState *m_shared = nullptr;
    RecentMessages &m_localRecent;
    RecentMessages *m_redisRecent = nullptr;
    DirectoryCache &m_localDirectory;
    DirectoryCache *m_redisDirectory = nullptr;
    QThread m_thread;
    std::unique_ptr<Db> m_db;
    Bridge *m_bridge = nullptr;
    PresenceService *m_presence = nullptr;
    ClusterQueries *m_cluster = nullptr; // on the delivery thread, from start()
    AdminFeed *m_adminFeed = nullptr;    // likewise
    QTimer *m_repairTimer = nullptr;
    QTimer *m_tailTimer = nullptr;
    std::atomic<bool> m_bridgeUp{false};

    Sequencer m_sequencer;
    bool m_tailReading = false;
    qint64 m_lastPruneMs = 0;
};

} // namespace sanayicin
