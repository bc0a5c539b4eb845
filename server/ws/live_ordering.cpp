// The order of what a connection receives (protocol.md, "Ordering"): live
// messages are held until hello is out, during the sync grace period and
// while a sync is answered, so that a sync's older messages never follow a
// newer live one; events that name a message stay behind it.

#include "client_connection.h"
#include "close_codes.h"
#include "metrics/server_metrics.h"
#include "protocol/server_frames.h"
#include "time/clock.h"
#include "ws_gateway.h"

#include <algorithm>

namespace sanayicin {

using namespace ws;

namespace {
constexpr size_t kMaxHeldMessages = 20000; // live messages held for a sync
constexpr qint64 kSyncContinueMs = 30000;  // wait for the next sync after has_more
} // namespace

void ClientConnection::startSync(const SyncFrame &frame)
{
    if (m_syncRunning)
        m_pendingSyncs.push_back(frame); // one at a time, in order
    else
        runSync(frame);
}

qint64 ClientConnection::syncPageBytes() const
{
    return deps().settings.outgoingLimitBytes.get() / 2;
}

void ClientConnection::syncFailed()
{
    sendError(ErrorCode::Unavailable, QStringLiteral("sync failed; try again"));
    m_syncRunning = false;
    releaseHeld();
}

void ClientConnection::finishSync(const SyncFrame &frame, qint64 lastSentId, bool hasMore)
{
    sendFrame(frames::synced(lastSentId ? lastSentId : frame.afterId, hasMore));
    // Held messages up to after_id are ones the client says it has. Live ones
    // after the sync are skipped only up to what the sync sent: an after_id
    // beyond every id (a cursor from another server, say) must not mute the
    // connection.
    const qint64 covered = std::max(frame.afterId, lastSentId);
    std::erase_if(m_held, [covered](const Held &h) { return h.message && h.message->message.id <= covered; });
    // Later live ones are skipped up to what the client now has: what the
    // sync sent and, up to ids known to exist, its after_id. A filled message
    // at or below it would come again, out of order (issue 12, the soak's
    // finding); one above it still goes.
    m_committedUpTo = std::max(m_committedUpTo, lastSentId);
    m_syncedUpTo = std::max({m_syncedUpTo, lastSentId, std::min(frame.afterId, m_committedUpTo)});
    m_syncRunning = false;
    if (m_state != State::Open)
        return;
    if (!m_pendingSyncs.isEmpty()) {
        runSync(m_pendingSyncs.takeFirst());
        return;
    }
    if (hasMore) {
        // The client goes on syncing; live messages wait for it (bounded).
        m_holdUntilMs = steadyMs() + kSyncContinueMs;
        return;
    }
    releaseHeld();
}

void ClientConnection::releaseHeld()
{
    m_hold = Hold::None;
    auto held = std::move(m_held);
    m_held.clear();
    for (const Held &h : held) {
        if (h.message)
            deliver(h.message);
        else
            sendFrame(h.frame);
    }
}

void ClientConnection::endGraceIfDue(qint64 now)
{
    if (m_state == State::Open && m_hold == Hold::Grace && now >= m_holdUntilMs)
        releaseHeld();
}

bool ClientConnection::hold(Held item)
{
    if (m_held.size() >= kMaxHeldMessages) {
        close(kPolicyViolation, QStringLiteral("too far behind; reconnect and sync"));
        return false;
    }
    if (m_held.empty() && m_hold == Hold::Grace)
        m_gateway.endGraceAt(this, m_holdUntilMs); // on time, not at the next tick
    m_held.push_back(std::move(item));
    return true;
}

void ClientConnection::deliver(const std::shared_ptr<const DeliveredMessage> &message)
{
    if (m_state != State::Open || m_admin) // an admin stream gets no chat
        return;
    if (message->message.id <= m_syncedUpTo)
        return; // already sent by a sync
    if (m_hold == Hold::Grace)
        endGraceIfDue(steadyMs());
    if (m_hold != Hold::None) {
        hold({message, {}});
        return;
    }
    deps().metrics.messagesDelivered.inc();
    m_committedUpTo = std::max(m_committedUpTo, message->message.id);
    sendFrame(message->frame);
}

void ClientConnection::deliverEvent(const QByteArray &frame)
{
    if (m_state != State::Open || m_admin)
        return;
    // Registered but hello not yet out: nothing may go before it. Typing is
    // stale by then; the rest waits in order.
    if (m_hold == Hold::Hello) {
        if (!frames::isTyping(frame))
            hold({nullptr, frame});
        return;
    }
    if (m_hold != Hold::None && !m_held.empty() && frames::namesAMessage(frame)) {
        hold({nullptr, frame});
        return;
    }
    sendFrame(frame);
}

} // namespace sanayicin
