#include "presence_service.h"

#include "bridge/shared_state.h"

#include "bridge/bridge.h"
#include "local_hub.h"
#include "logging/log.h"
#include "presence_view.h"
#include "protocol/server_frames.h"
#include "storage/batched_lookup.h"
#include "storage/conversation_store.h"
#include "time/clock.h"

#include <QEventLoop>
#include <hiredis/hiredis.h>

namespace sanayicin {

namespace {
constexpr int kHeartbeatMs = 2000;
constexpr int kInstanceTtlSeconds = SharedState::kInstanceTtlSeconds;
constexpr int kReapMs = 5000;
constexpr qsizetype kPeerCacheMax = 200000;

// {flag, version} from presence_join / presence_leave.
bool readTransition(const redisReply *r, qint64 &version)
{
    if (!r || r->type != REDIS_REPLY_ARRAY || r->elements != 2)
        return false;
    version = r->element[1]->integer;
    return r->element[0]->integer == 1;
}

} // namespace

PresenceService::PresenceService(LocalHub &local, BatchedLookup<QList<qint64>> &peers,
                                 Bridge *bridge, PresenceView &view, QString instanceId,
                                 QObject *parent)
    : QObject(parent), m_local(local), m_lookup(peers), m_bridge(bridge), m_view(view)
    , m_instanceId(std::move(instanceId))
{
    if (!m_bridge)
        return;
    connect(m_bridge, &Bridge::reconnected, this, &PresenceService::onBridgeUp);
    connect(&m_heartbeatTimer, &QTimer::timeout, this, &PresenceService::heartbeat);
    connect(&m_reapTimer, &QTimer::timeout, this, &PresenceService::reap);
    m_heartbeatTimer.start(kHeartbeatMs);
    m_reapTimer.start(kReapMs);
}

void PresenceService::withPeers(qint64 userId, std::function<void(const QList<qint64> &)> then)
{
    if (auto w = m_waiting.find(userId); w != m_waiting.end()) {
        w->push_back(std::move(then));
        return;
    }
    if (auto it = m_peers.constFind(userId); it != m_peers.constEnd()) {
        then(*it);
        return;
    }
    if (m_shutdownDb) {
        then(store::peersOf(*m_shutdownDb, userId));
        return;
    }
    // Not on this thread: every message passes through it, and a storm of
    // new users would hold them up.
    m_waiting[userId].push_back(std::move(then));
    const quint64 startedAt = ++m_clock;
    m_lookup.lookup(this, userId, [this, userId, startedAt](bool ok, QList<qint64> peers) {
        const auto waiting = m_waiting.take(userId);
        if (!ok) {
            qCWarning(lcDelivery) << "presence: peers look-up failed for user" << userId;
            return;
        }
        if (m_peers.size() > kPeerCacheMax)
            m_peers.clear();
        // Peers that changed while the query ran may be missing from its
        // answer: use it this once, but do not keep it.
        if (m_forgotAt.value(userId) < startedAt && m_forgotAllAt < startedAt)
            m_peers.insert(userId, peers);
        for (const auto &announce : waiting)
            announce(peers);
    });
}

void PresenceService::forgetPeers(qint64 userA, qint64 userB)
{
    m_peers.remove(userA);
    m_peers.remove(userB);
    if (m_forgotAt.size() > kPeerCacheMax) {
        m_forgotAt.clear();
        m_forgotAllAt = m_clock;
    }
    m_forgotAt.insert(userA, ++m_clock);
    m_forgotAt.insert(userB, m_clock);
}

void PresenceService::messagesArrived(const MessageBatch &batch)
{
    // A conversation's first message makes its two participants share
    // presence (protocol.md): their cached peers are out of date.
    for (const auto &d : batch) {
        if (d->message.seq != 1)
            continue;
        forgetPeers(d->userA, d->userB);
        // They see each other from now on, but neither comes online now:
        // tell each participant connected here that the other already is
        // (every instance does this for its own connections).
        tellOnlineHere(d->userA, d->userB);
        tellOnlineHere(d->userB, d->userA);
    }
}

void PresenceService::tellOnlineHere(qint64 to, qint64 about)
{
    if (m_local.isConnectedHere(to) && m_local.isOnline(about))
        m_local.sendToUsersHere({to}, frames::presence(about, true));
}

void PresenceService::announce(qint64 userId, bool online, qint64 version)
{
    withPeers(userId, [this, userId, online, version](const QList<qint64> &peers) {
        const QByteArray frame = frames::presence(userId, online);
        m_local.sendToUsersHere(peers, frame);
        if (m_bridge) {
            // One event updates every instance's view and reaches the peers
            // connected there.
            wire::Event e;
            e.kind = wire::EventKind::Presence;
            e.userId = userId;
            e.online = online;
            e.version = version;
            e.users = peers;
            e.frame = frame;
            m_bridge->publishEvent(e);
        }
    });
}

void PresenceService::localChanged(qint64 userId)
{
    const bool here = m_local.isConnectedHere(userId);
    if (!m_bridge || !m_bridge->isUp()) {
        // Alone (or cut off from Redis): our own connections decide. Tell
        // peers the state as it is now, once per change.
        const bool told = m_announced.value(userId, false);
        if (here == told)
            return;
        if (here)
            m_announced.insert(userId, true);
        else
            m_announced.remove(userId);
        announce(userId, here, 0);
        return;
    }
    if (here)
        join(userId);
    else
        leave(userId);
}

void PresenceService::join(qint64 userId)
{
    m_bridge->scripts().run(
        QStringLiteral("presence_join"), {QByteArray::number(userId), m_instanceId.toUtf8()},
        [this, userId](redisReply *r) {
            qint64 version = 0;
            if (readTransition(r, version) && m_view.apply(userId, true, version, nowMs()))
                announce(userId, true, version);
        });
}

void PresenceService::leave(qint64 userId)
{
    m_bridge->scripts().run(
        QStringLiteral("presence_leave"), {QByteArray::number(userId), m_instanceId.toUtf8()},
        [this, userId](redisReply *r) {
            qint64 version = 0;
            if (readTransition(r, version) && m_view.apply(userId, false, version, nowMs()))
                announce(userId, false, version);
        });
}

void PresenceService::remoteChanged(const wire::Event &e)
{
    if (m_view.apply(e.userId, e.online, e.version, nowMs()))
        m_local.sendToUsersHere(e.users, e.frame);
}

void PresenceService::onBridgeUp()
{
    // Redis may have restarted (and forgotten us), or events were lost while
    // we were away: take a fresh view and record our own users again.
    m_bridge->commands().command({"SMEMBERS", "sanayicin:online_all"}, [this](redisReply *r) {
        if (!r || r->type != REDIS_REPLY_ARRAY)
            return;
        QList<qint64> online;
        online.reserve(qsizetype(r->elements));
        for (size_t i = 0; i < r->elements; ++i)
            online << QByteArray(r->element[i]->str, qsizetype(r->element[i]->len)).toLongLong();
        m_view.reset(online);
    });
    heartbeat();
    const QList<qint64> here = m_local.usersHere();
    for (qint64 user : here)
        join(user);
}

void PresenceService::setSummaryProvider(std::function<QByteArray()> provider)
{
    m_summary = std::move(provider);
    heartbeat();
}

void PresenceService::heartbeat()
{
    if (!m_bridge || !m_bridge->isUp()) // alone (no Redis) there is no one to tell
        return;
    m_bridge->scripts().run(
        QStringLiteral("heartbeat"),
        {m_instanceId.toUtf8(), QByteArray::number(kInstanceTtlSeconds),
         m_summary ? m_summary() : QByteArray()}, // empty: alive, not yet serving
        [this](redisReply *r) {
            const bool unknown = r && r->type == REDIS_REPLY_INTEGER && r->integer == 1;
            if (unknown && !m_firstHeartbeat) {
                // We were reaped (a stall longer than the heartbeat's life):
                // our users are still here.
                qCWarning(lcBridge) << "this instance was taken for dead; announcing its users again";
                const QList<qint64> here = m_local.usersHere();
                for (qint64 user : here)
                    join(user);
            }
            m_firstHeartbeat = false;
        });
}

void PresenceService::reap()
{
    if (!m_bridge->isUp())
        return;
    m_bridge->scripts().run(QStringLiteral("reap"), {}, [this](redisReply *r) {
        if (!r || r->type != REDIS_REPLY_ARRAY)
            return;
        for (size_t i = 0; i + 1 < r->elements; i += 2) {
            const qint64 user = QByteArray(r->element[i]->str, qsizetype(r->element[i]->len)).toLongLong();
            const qint64 version = r->element[i + 1]->integer;
            if (m_view.apply(user, false, version, nowMs()))
                announce(user, false, version);
        }
        if (r->elements)
            qCInfo(lcBridge) << "took" << r->elements / 2 << "users of a dead instance offline";
    });
}

void PresenceService::shutdown(Db *db)
{
    m_shutdownDb = db;
    if (!m_bridge || !m_bridge->isUp())
        return;
    // Leave for every user still here, and wait (briefly) for the answers so
    // that peers hear it now.
    const QList<qint64> here = m_local.usersHere();
    struct Wait
    {
        int pending = 0;
        QEventLoop *loop = nullptr;
    };
    auto wait = std::make_shared<Wait>();
    QEventLoop loop;
    wait->loop = &loop;
    for (qint64 user : here) {
        const bool sent = m_bridge->scripts().run(
            QStringLiteral("presence_leave"), {QByteArray::number(user), m_instanceId.toUtf8()},
            [this, user, wait](redisReply *r) {
                qint64 version = 0;
                if (wait->loop && readTransition(r, version)
                    && m_view.apply(user, false, version, nowMs()))
                    announce(user, false, version);
                if (--wait->pending == 0 && wait->loop)
                    wait->loop->quit();
            });
        if (sent)
            ++wait->pending;
    }
    m_bridge->commands().command({"DEL", "sanayicin:instance:" + m_instanceId.toUtf8()});
    if (wait->pending > 0) {
        QTimer::singleShot(2000, &loop, &QEventLoop::quit);
        loop.exec();
    }
    wait->loop = nullptr; // answers that come later find nobody waiting
}

} // namespace sanayicin
