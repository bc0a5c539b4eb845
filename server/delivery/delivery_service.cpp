#include "delivery_service.h"

#include "admin_feed.h"

#include "cluster_queries.h"

#include "metrics/server_metrics.h"
#include "auth/session_cache.h"
#include "bridge/bridge.h"
#include "bridge/shared_state.h"
#include "cache/directory_cache.h"
#include "cache/recent_messages.h"
#include "limits/rate_limiter.h"
#include "local_hub.h"
#include "logging/log.h"
#include "presence_service.h"
#include "storage/db.h"
#include "storage/db_pool.h"
#include "storage/message_store.h"
#include "threading/mailbox.h"
#include "time/clock.h"
#include "threading/thread_exit.h"

#include <QMetaObject>
#include <hiredis/hiredis.h>

namespace sanayicin {

namespace {
constexpr qint64 kForgetConversationsMs = 10 * 60 * 1000;
constexpr int kRepairEveryMs = 100;
constexpr qint64 kHoleGraceMs = 300; // before reading what pub/sub has not brought
constexpr int kTailEveryMs = 1000;
constexpr int kTailWhileDownMs = 250; // Redis away: the database is the only way in
constexpr qint64 kRepairBatch = 5000;
} // namespace

DeliveryService::DeliveryService(LocalHub &local, SessionCache &sessions, DatabaseUrl database,
                                 std::optional<RedisUrl> redis, QString instanceId,
                                 ServerMetrics &metrics, PresenceView &view,
                                 RateLimiter &fallbackLimiter, BatchedLookup<QList<qint64>> &peers,
                                 DbPool &readers, RecentMessages &localRecent,
                                 DirectoryCache &localDirectory)
    : m_local(local), m_sessions(sessions), m_database(std::move(database))
    , m_redis(std::move(redis)), m_instanceId(std::move(instanceId)), m_metrics(metrics)
    , m_view(view), m_fallbackLimiter(fallbackLimiter), m_peers(peers), m_readers(readers)
    , m_localRecent(localRecent), m_localDirectory(localDirectory)
{
    m_thread.setObjectName(QStringLiteral("delivery"));
}

DeliveryService::~DeliveryService()
{
    stop();
}

bool DeliveryService::start(QString &error)
{
    moveToThread(&m_thread);
    m_thread.start();
    bool ok = false;
    QMetaObject::invokeMethod(
        this,
        [&] {
            waitForThisThreadAtExit();
            m_db = Db::connect(m_database, QStringLiteral("delivery"), error);
            if (!m_db)
                return;
            m_db->setQueryTimer(&m_metrics.dbQuery);
            try {
                // Everything committed before now is history: clients get it
                // by sync. Live delivery starts after it.
                m_sequencer = Sequencer(store::messageCounter(*m_db));
            } catch (const DbError &e) {
                error = QString::fromUtf8(e.what());
                return;
            }
            if (m_redis) {
                m_bridge = new Bridge(*m_redis, m_instanceId,
                                      {m_metrics.bridgePublished, m_metrics.bridgeReceived,
                                       m_metrics.bridgeReconnects},
                                      this);
                connect(m_bridge, &Bridge::batchReceived, this,
                        [this](const wire::Batch &b) { process(b.messages); });
                connect(m_bridge, &Bridge::eventReceived, this, &DeliveryService::onRemoteEvent);
                connect(m_bridge, &Bridge::reconnected, this, [this] {
                    m_bridgeUp = true;
                    // Revocations may have been published while we were
                    // away: forget every cached token.
                    m_sessions.clear();
                });
                connect(m_bridge, &Bridge::wentDown, this, [this] { m_bridgeUp = false; });
                RateLimiter &limiter = m_fallbackLimiter;
                m_shared = new SharedState( // its own thread
                    *m_redis,
                    [&limiter](const QByteArray &key, const RateRule &rule) {
                        return limiter.take(key, rule, steadyNs());
                    });
                m_shared->start();
                m_redisRecent = new RedisRecentMessages(*m_bridge, this);
                m_redisDirectory = new RedisDirectoryCache(*m_bridge, this);
            }
            m_presence = new PresenceService(m_local, m_peers, m_bridge, m_view, m_instanceId, this);
            m_cluster = new ClusterQueries(m_bridge, m_instanceId, this);
            m_adminFeed = new AdminFeed(m_bridge, m_instanceId, this);
            if (m_bridge)
                m_bridge->start();
            m_repairTimer = new QTimer(this);
            connect(m_repairTimer, &QTimer::timeout, this, &DeliveryService::repairHoles);
            m_repairTimer->start(kRepairEveryMs);
            if (m_bridge) {
                m_tailTimer = new QTimer(this);
                connect(m_tailTimer, &QTimer::timeout, this, &DeliveryService::checkTail);
                m_tailTimer->start(kTailEveryMs);
            }
            ok = true;
        },
        Qt::BlockingQueuedConnection);
    return ok;
}

void DeliveryService::stop()
{
    if (!m_thread.isRunning())
        return;
    QMetaObject::invokeMethod(
        this,
        [this] {
            // First: replies to this thread (read pool, peers look-ups) are
            // dropped from now on, here, before what they would reach goes.
            Mailbox::closeHere();
            if (m_presence)
                m_presence->shutdown(m_db.get());
            delete m_presence;
            m_presence = nullptr;
            delete m_shared;
            m_shared = nullptr;
            // Timers die on the thread that runs them.
            delete m_repairTimer;
            m_repairTimer = nullptr;
            delete m_tailTimer;
            m_tailTimer = nullptr;
            delete static_cast<RedisRecentMessages *>(m_redisRecent);
            m_redisRecent = nullptr;
            delete static_cast<RedisDirectoryCache *>(m_redisDirectory);
            m_redisDirectory = nullptr;
            delete m_cluster; // unanswered console requests get no answer
            m_cluster = nullptr;
            // Kept (a child) until this object goes: a database job that ends
            // after this may still tell it of a report, and is then ignored.
            m_adminFeed->stop();
            delete m_bridge;
            m_bridge = nullptr;
            m_db.reset();
        },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

DirectoryCache &DeliveryService::directory() const
{
    return m_redisDirectory ? *m_redisDirectory : m_localDirectory;
}

void DeliveryService::setSummaryProvider(std::function<QByteArray()> provider)
{
    QMetaObject::invokeMethod(
        this,
        [this, provider = std::move(provider)] {
            if (m_presence)
                m_presence->setSummaryProvider(provider);
        },
        Qt::BlockingQueuedConnection);
}

RecentMessages &DeliveryService::recent() const
{
    return m_redisRecent ? *m_redisRecent : m_localRecent;
}

void DeliveryService::committed(std::shared_ptr<const MessageBatch> batch)
{
    QMetaObject::invokeMethod(
        this,
        [this, batch = std::move(batch)] {
            // Into the shared cache, then out to the other instances (Redis
            // runs both in this order), then to our own connections.
            if (m_bridge) {
                m_redisRecent->append(*batch);
                m_bridge->publishBatch(*batch);
            }
            process(*batch);
        },
        Qt::QueuedConnection);
}

void DeliveryService::broadcast(wire::Event event)
{
    if (!m_redis)
        return;
    QMetaObject::invokeMethod(
        this,
        [this, event] {
            if (m_bridge)
                m_bridge->publishEvent(event);
        },
        Qt::QueuedConnection);
}

void DeliveryService::presenceChanged(qint64 userId)
{
    QMetaObject::invokeMethod(
        this,
        [this, userId] {
            if (m_presence)
                m_presence->localChanged(userId);
        },
        Qt::QueuedConnection);
}

void DeliveryService::peersChanged(qint64 userA, qint64 userB, bool tellOthers)
{
    QMetaObject::invokeMethod(
        this,
        [this, userA, userB, tellOthers] {
            if (m_presence)
                m_presence->forgetPeers(userA, userB);
            if (tellOthers && m_bridge) {
                wire::Event e;
                e.kind = wire::EventKind::PeersChanged;
                e.users = {userA, userB};
                m_bridge->publishEvent(e);
            }
        },
        Qt::QueuedConnection);
}

void DeliveryService::revokeUser(qint64 userId)
{
    QMetaObject::invokeMethod(
        this,
        [this, userId] {
            if (!m_bridge)
                return;
            wire::Event e;
            e.kind = wire::EventKind::RevokeUser;
            e.userId = userId;
            m_bridge->publishEvent(e);
        },
        Qt::QueuedConnection);
}

void DeliveryService::revokeToken(qint64 userId, const QByteArray &tokenHash)
{
    QMetaObject::invokeMethod(
        this,
        [this, userId, tokenHash] {
            if (!m_bridge)
                return;
            wire::Event e;
            e.kind = wire::EventKind::RevokeToken;
            e.userId = userId;
            e.tokenHash = tokenHash;
            m_bridge->publishEvent(e);
        },
        Qt::QueuedConnection);
}

void DeliveryService::onRemoteEvent(const wire::Event &e)
{
    switch (e.kind) {
    case wire::EventKind::Frame:
        m_local.sendToUsersHere(e.users, e.frame);
        break;
    case wire::EventKind::CloseUser:
        m_local.closeUserHere(e.userId, e.code, e.reason);
        break;
    case wire::EventKind::CloseToken:
        m_local.closeTokenHere(e.userId, e.tokenHash, e.code, e.reason);
        break;
    case wire::EventKind::RevokeUser:
        m_sessions.revokeUser(e.userId, nowMs());
        break;
    case wire::EventKind::RevokeToken:
        m_sessions.revokeToken(e.tokenHash, nowMs());
        break;
    case wire::EventKind::Presence:
        if (m_presence)
            m_presence->remoteChanged(e);
        break;
    case wire::EventKind::PeersChanged:
        if (m_presence && e.users.size() == 2)
            m_presence->forgetPeers(e.users[0], e.users[1]);
        break;
    }
}

void DeliveryService::process(const MessageBatch &batch)
{
    const qint64 now = steadyMs();
    auto out = std::make_shared<MessageBatch>();
    out->reserve(batch.size());
    for (const auto &d : batch)
        m_sequencer.arrive(d, now, *out);
    deliver(out);
    if (now - m_lastPruneMs > 60000) {
        m_lastPruneMs = now;
        m_sequencer.prune(now, kForgetConversationsMs);
    }
}

void DeliveryService::deliver(const std::shared_ptr<MessageBatch> &out)
{
    if (out->empty())
        return;
    if (m_presence)
        m_presence->messagesArrived(*out);
    if (!m_bridge)
        m_localRecent.append(*out);
    m_metrics.messagesFannedOut.inc(quint64(out->size()));
    m_local.deliverToHosts(out);
}

void DeliveryService::fillFromDatabase(std::function<QList<store::MessageWithMembers>(Db &)> read,
                                       std::function<void(bool ok, const MessageBatch &)> done)
{
    // On the read pool: this thread never waits for the database.
    m_readers.run<std::optional<MessageBatch>>(
        this,
        [read](Db &db) -> std::optional<MessageBatch> {
            MessageBatch batch;
            for (const auto &r : read(db))
                batch.push_back(DeliveredMessage::make(r.message, r.userA, r.userB, 0));
            return batch;
        },
        [done](std::optional<MessageBatch> batch) { done(true, *batch); },
        [done](const DbError &e) {
            qCWarning(lcDelivery).noquote() << "reading missing messages failed:" << e.what();
            done(false, {});
        });
}

size_t DeliveryService::arriveFromDatabase(const MessageBatch &batch, qint64 now, MessageBatch &out)
{
    // Only what had not come another way counts as filled.
    size_t missing = 0;
    for (const auto &d : batch)
        missing += m_sequencer.arrive(d, now, out) ? 1 : 0;
    m_metrics.gapFills.inc(quint64(missing));
    return missing;
}

void DeliveryService::repairHoles()
{
    const qint64 now = steadyMs();
    // Conversations whose next message stayed missing: read just those.
    for (const Sequencer::Fill &f : m_sequencer.overdue(now, kHoleGraceMs)) {
        fillFromDatabase(
            [f](Db &db) {
                const QList<Message> found =
                    f.afterSeq >= 0 ? store::messagesBySeq(db, f.conversationId, f.afterSeq, f.beforeSeq - 1)
                                    : store::messagesBetweenIds(db, f.conversationId, f.afterId, f.beforeId);
                QList<store::MessageWithMembers> out;
                for (const Message &m : found)
                    out.push_back({m, f.userA, f.userB});
                return out;
            },
            [this, f](bool ok, const MessageBatch &batch) {
                const qint64 t = steadyMs();
                auto out = std::make_shared<MessageBatch>();
                arriveFromDatabase(batch, t, *out);
                m_sequencer.fillDone(f.conversationId, ok, t, *out);
                deliver(out);
            });
    }
    // Ids known to exist and still missing (a publish lost with nothing after
    // it in its conversation yet, or a lost tail): one read for all of them.
    // While Redis is away nothing else is on its way: read a hole at once
    // (messages leave in id order, so this instance's own wait for it).
    const qint64 holeGrace = m_bridge && !m_bridgeUp ? 0 : kHoleGraceMs;
    if (auto hole = m_sequencer.overdueHole(now, holeGrace)) {
        const auto [after, before] = *hole;
        fillFromDatabase(
            [after, before](Db &db) { return store::messagesByIdRange(db, after, before, kRepairBatch); },
            [this, after, before](bool ok, const MessageBatch &batch) {
                const qint64 t = steadyMs();
                auto out = std::make_shared<MessageBatch>();
                const size_t missing = arriveFromDatabase(batch, t, *out);
                // Cut at its limit, the read is complete up to its last row.
                const qint64 completeBelow =
                    qint64(batch.size()) < kRepairBatch ? before : batch.back()->message.id;
                const qint64 passed = m_sequencer.holeFillDone(ok, completeBelow, t, kHoleGraceMs, *out);
                if (missing)
                    qCInfo(lcDelivery) << "filled a hole of" << missing << "messages after id" << after;
                if (passed)
                    qCWarning(lcDelivery) << "passed over" << passed << "message ids below" << completeBelow
                                          << "that the database no longer has (deleted)";
                deliver(out);
            });
    }
}

void DeliveryService::checkTail()
{
    // The newest messages may have been lost with nothing after them to show
    // the hole: the committed counter says what exists, and repairHoles()
    // reads whatever of it stays missing past the grace. While Redis is away
    // every other instance's message comes this way, so look more often.
    if (m_tailTimer)
        m_tailTimer->setInterval(m_bridgeUp ? kTailEveryMs : kTailWhileDownMs);
    if (m_tailReading)
        return;
    m_tailReading = true;
    m_readers.run<qint64>(
        this, [](Db &db) { return store::messageCounter(db); },
        [this](qint64 counter) {
            m_tailReading = false;
            m_sequencer.committed(counter, steadyMs());
        },
        [this](const DbError &e) {
            m_tailReading = false;
            qCWarning(lcDelivery).noquote() << "tail check failed:" << e.what();
        });
}

} // namespace sanayicin
