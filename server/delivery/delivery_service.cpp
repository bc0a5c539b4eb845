#include "delivery_service.h"

#include "hub.h"
#include "json/json_writer.h"
#include "logging/log.h"
#include "metrics/metrics.h"
#include "storage/conversation_store.h"
#include "storage/db.h"
#include "storage/message_store.h"
#include "time/clock.h"

#include <QMetaObject>

namespace sanayicin {

namespace {
constexpr qint64 kForgetAfterMs = 10 * 60 * 1000;
constexpr qsizetype kPeerCacheMax = 200000;
} // namespace

QByteArray presenceFrame(qint64 userId, bool online)
{
    QByteArray out;
    JsonWriter w(out);
    w.beginObject().key("type").utf8("presence").field("user_id", userId).field("online", online);
    w.endObject();
    return out;
}

DeliveryService::DeliveryService(Hub &hub, DatabaseUrl url) : m_hub(hub), m_url(std::move(url))
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
            m_db = Db::connect(m_url, QStringLiteral("delivery"), error);
            ok = m_db != nullptr;
        },
        Qt::BlockingQueuedConnection);
    return ok;
}

void DeliveryService::stop()
{
    if (!m_thread.isRunning())
        return;
    QMetaObject::invokeMethod(this, [this] { m_db.reset(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void DeliveryService::submitBatch(std::shared_ptr<const MessageBatch> batch)
{
    QMetaObject::invokeMethod(this, [this, batch] { processBatch(batch); }, Qt::QueuedConnection);
}

void DeliveryService::presenceChanged(qint64 userId)
{
    QMetaObject::invokeMethod(this, [this, userId] { processPresence(userId); },
                              Qt::QueuedConnection);
}

void DeliveryService::invalidatePeers(qint64 userA, qint64 userB)
{
    QMetaObject::invokeMethod(
        this,
        [this, userA, userB] {
            m_peers.remove(userA);
            m_peers.remove(userB);
        },
        Qt::QueuedConnection);
}

void DeliveryService::processBatch(const std::shared_ptr<const MessageBatch> &batch)
{
    const qint64 now = nowMs();
    auto out = std::make_shared<MessageBatch>();
    out->reserve(batch->size());
    bool changed = false; // whether `out` differs from `batch`
    for (const auto &d : *batch) {
        const qint64 conv = d->message.conversationId;
        SeqState &state = m_lastSeq[conv];
        if (state.lastSeq != 0 && d->message.seq <= state.lastSeq) {
            changed = true; // seen already (a repeat from another path)
            continue;
        }
        if (state.lastSeq != 0 && d->message.seq > state.lastSeq + 1) {
            // A message of this conversation never reached us: read the
            // missing ones before delivering a later one.
            try {
                const QList<Message> missing =
                    store::messagesBySeq(*m_db, conv, state.lastSeq, d->message.seq - 1);
                for (const Message &m : missing)
                    out->push_back(DeliveredMessage::make(m, d->userA, d->userB, 0));
                if (m_gapFills)
                    m_gapFills->inc(quint64(missing.size()));
                changed = true;
            } catch (const DbError &e) {
                qCWarning(lcDelivery).noquote() << "gap fill failed:" << e.what();
            }
        }
        state.lastSeq = d->message.seq;
        state.touchedAtMs = now;
        out->push_back(d);
    }
    if (m_delivered)
        m_delivered->inc(quint64(out->size()));
    if (!out->empty())
        m_hub.deliverToHosts(changed ? std::shared_ptr<const MessageBatch>(out) : batch);
    if (now - m_lastPruneMs > 60000)
        prune();
}

void DeliveryService::prune()
{
    const qint64 now = nowMs();
    m_lastPruneMs = now;
    for (auto it = m_lastSeq.begin(); it != m_lastSeq.end();) {
        if (now - it->touchedAtMs > kForgetAfterMs)
            it = m_lastSeq.erase(it);
        else
            ++it;
    }
    if (m_peers.size() > kPeerCacheMax)
        m_peers.clear();
}

QList<qint64> DeliveryService::peersOf(qint64 userId)
{
    if (auto it = m_peers.constFind(userId); it != m_peers.constEnd())
        return *it;
    const QList<qint64> peers = store::peersOf(*m_db, userId);
    m_peers.insert(userId, peers);
    return peers;
}

void DeliveryService::processPresence(qint64 userId)
{
    // Announce the state as it is now, not as it was when queued: a quick
    // connect and disconnect then ends with the right last word.
    const bool online = m_hub.isOnline(userId);
    const auto it = m_announced.constFind(userId);
    const bool previously = it != m_announced.constEnd() && *it;
    if (online == previously)
        return;
    if (online)
        m_announced.insert(userId, true);
    else
        m_announced.remove(userId);
    try {
        const QList<qint64> peers = peersOf(userId);
        m_hub.sendToUsers(peers, presenceFrame(userId, online));
    } catch (const DbError &e) {
        qCWarning(lcDelivery).noquote() << "presence: peers look-up failed:" << e.what();
    }
}

} // namespace sanayicin
