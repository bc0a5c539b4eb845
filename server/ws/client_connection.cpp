#include "client_connection.h"

#include "app/daemon_config.h"
#include "app/server_metrics.h"
#include "app/services.h"
#include "auth/authenticator.h"
#include "auth/tokens.h"
#include "cache/recent_messages.h"
#include "delivery/hub.h"
#include "limits/rate_gate.h"
#include "logging/log.h"
#include "protocol/objects.h"
#include "protocol/server_frames.h"
#include "storage/db_pool.h"
#include "storage/batched_lookup.h"
#include "storage/membership_cache.h"
#include "storage/message_store.h"
#include "storage/message_writer.h"
#include "time/clock.h"
#include "ws_gateway.h"
#include "ws_transport.h"

#include <QPointer>

namespace sanayicin {

namespace {
constexpr qsizetype kMaxEarlyFrames = 64;   // frames queued while the token is checked
constexpr size_t kMaxHeldMessages = 20000; // live messages held for a sync
constexpr qint64 kSyncContinueMs = 30000; // wait for the next sync after has_more
constexpr qint64 kCloseGraceMs = 5000;    // then a closing socket is aborted
constexpr qsizetype kMaxWaitingReads = 1000; // conversations with a read waiting
constexpr qsizetype kReadsPerJob = 16;       // reads stored by one writer job (a few ms)

// A sync page is written at once, so it stops at half the outgoing limit in
// bytes (with has_more): a client that reads is never closed for the page it
// asked for, and a page never costs more memory than the limit allows. The
// first message always goes, whatever its size.
bool spendPageBudget(qint64 &budget, qsizetype frameBytes, bool anySent)
{
    if (anySent && frameBytes > budget)
        return false;
    budget -= frameBytes;
    return true;
}

// Close codes of the spec.
constexpr int kGoingAway = 1001;
constexpr int kUnsupportedData = 1003;
constexpr int kPolicyViolation = 1008;
constexpr int kUnauthorized = 4001;
} // namespace

ClientConnection::ClientConnection(WsGateway &gateway, std::unique_ptr<WsTransport> transport,
                                   qint64 id, qint64 openedAtMs)
    : m_gateway(gateway), m_ws(std::move(transport)), m_id(id), m_openedAtMs(openedAtMs)
    , m_lastHeardMs(openedAtMs)
{
    m_ws->setHandlers({[this](const QByteArray &utf8) { onText(utf8); }, [this] { onBinary(); },
                       [this] { m_lastHeardMs = nowMs(); },
                       [this](int code) { onClosed(code); }});
}

ClientConnection::~ClientConnection()
{
    m_gateway.forget(this);
    if (m_ws) {
        m_ws->setHandlers({});
        m_ws->abort();
    }
}

Services &ClientConnection::services() const
{
    return m_gateway.services();
}

QString ClientConnection::peerAddress() const
{
    return m_ws->peerAddress();
}

ConnectionSummary ClientConnection::summary() const
{
    ConnectionSummary s;
    s.id = m_id;
    s.userId = m_auth.user.id;
    s.username = m_auth.user.username;
    s.address = m_ws->peerAddress();
    s.openedAtMs = m_openedAtMs;
    s.pendingBytes = m_ws->pendingBytes();
    s.authenticated = m_state == State::Open;
    s.tokenHash = m_auth.tokenHash;
    return s;
}

void ClientConnection::start()
{
    const QByteArray header = m_ws->authorizationHeader();
    if (!header.isEmpty())
        beginAuth(bearerToken(header));
}

void ClientConnection::onText(const QByteArray &utf8)
{
    if (m_state == State::Closing || !spendFrameBudget(utf8))
        return;
    // Until hello is out (the token check, then the look-up of
    // last_message_id), frames wait: nothing is answered before hello.
    if (m_state == State::Authenticating || (m_state == State::Open && m_hold == Hold::Hello)) {
        if (m_early.size() >= kMaxEarlyFrames) {
            close(kPolicyViolation, QStringLiteral("too many frames before hello"));
            return;
        }
        m_early.push_back(utf8);
        return;
    }
    handleFrame(utf8);
}

// Every frame, of any type and in any state, costs from the connection's
// budget before it is even parsed for handling.
bool ClientConnection::spendFrameBudget(const QByteArray &utf8)
{
    Services &s = services();
    const FrameBudget::Verdict v = m_budget.take(steadyNs(), s.config.frameRule);
    if (v.allowed)
        return true;
    s.metrics.rateLimited.inc();
    if (v.abusive) {
        qCInfo(lcWs).noquote() << "connection" << m_id << "of user" << userId()
                               << "closed: frames far beyond its budget";
        close(kPolicyViolation, QStringLiteral("too many frames"));
        return false;
    }
    // The frame's client_msg_id, so that the client knows which send to repeat.
    const ClientFrame parsed = parseClientFrame(utf8);
    const QString *ref = nullptr;
    if (const auto *send = std::get_if<SendFrame>(&parsed))
        ref = &send->clientMsgId;
    else if (const auto *error = std::get_if<FrameError>(&parsed); error && error->hasRef)
        ref = &error->ref;
    sendError(ErrorCode::RateLimited, QStringLiteral("too many frames; slow down"), ref,
              v.retryAfterMs);
    return false;
}

void ClientConnection::onBinary()
{
    close(kUnsupportedData, QStringLiteral("binary frames are not supported"));
}

void ClientConnection::onClosed(int closeCode)
{
    if (m_state != State::Closing)
        services().metrics.countClose(closeCode);
    m_state = State::Closing;
    m_gateway.forget(this);
    deleteLater();
}

void ClientConnection::sendFrame(const QByteArray &frame)
{
    if (m_state == State::Closing)
        return;
    m_ws->sendText(frame);
    if (m_ws->pendingBytes() > services().config.outgoingLimitBytes)
        close(kPolicyViolation, QStringLiteral("client is not reading"));
}

void ClientConnection::sendError(ErrorCode code, const QString &message, const QString *ref,
                                 qint64 retryAfterMs)
{
    services().metrics.wsRejectedFrames.inc();
    sendFrame(frames::error(code, message, ref, retryAfterMs));
}

void ClientConnection::close(int code, const QString &reason)
{
    if (m_state == State::Closing)
        return;
    m_state = State::Closing;
    services().metrics.countClose(code);
    m_closeDeadlineMs = nowMs() + kCloseGraceMs;
    m_held.clear();
    m_gateway.unregisterUser(this); // no more deliveries; presence drops now
    m_ws->close(code, reason);
}

void ClientConnection::tick(qint64 now)
{
    const DaemonConfig &config = services().config;
    switch (m_state) {
    case State::AwaitingAuth:
        if (now - m_openedAtMs > config.authTimeoutMs)
            close(kUnauthorized, QStringLiteral("no auth frame in time"));
        return;
    case State::Authenticating:
        return;
    case State::Closing:
        if (m_closeDeadlineMs && now > m_closeDeadlineMs) {
            m_closeDeadlineMs = 0;
            m_ws->abort(); // the peer never completed the closing handshake
        }
        return;
    case State::Open:
        break;
    }
    if ((m_hold == Hold::Grace && now >= m_holdUntilMs)
        || (m_hold == Hold::Sync && !m_syncRunning && now >= m_holdUntilMs))
        releaseHeld();
    // WebSocket pings keep quiet clients alive; silence for three heartbeats
    // means the peer is gone.
    const qint64 heartbeatMs = qint64(config.heartbeatSeconds) * 1000;
    if (now - m_lastHeardMs > 3 * heartbeatMs)
        close(kPolicyViolation, QStringLiteral("no keep-alive"));
    else if (now - m_lastHeardMs > heartbeatMs)
        m_ws->ping();
}

// ---- opening -------------------------------------------------------------

void ClientConnection::beginAuth(const QString &token)
{
    m_state = State::Authenticating;
    QPointer<ClientConnection> self(this);
    services().auth.authenticate(&m_gateway, token,
                                 [self](Authenticator::Outcome outcome, const AuthUser &auth) {
                                     if (!self || self->m_state != State::Authenticating)
                                         return;
                                     if (outcome == Authenticator::Outcome::Valid) {
                                         self->authSucceeded(auth);
                                         return;
                                     }
                                     if (outcome == Authenticator::Outcome::Unavailable) {
                                         self->sendFrame(frames::error(
                                             ErrorCode::Unavailable,
                                             QStringLiteral("cannot check the token now")));
                                         self->close(kGoingAway, QStringLiteral("reconnect"));
                                         return;
                                     }
                                     self->sendFrame(frames::error(
                                         ErrorCode::Unauthorized,
                                         QStringLiteral("invalid or revoked token")));
                                     self->close(kUnauthorized, QStringLiteral("unauthorized"));
                                 });
}

void ClientConnection::authSucceeded(const AuthUser &auth)
{
    m_auth = auth;
    m_state = State::Open;
    m_gateway.registerUser(this); // from here on, live messages are held
    const qint64 userId = auth.user.id;
    QPointer<ClientConnection> self(this);
    services().hellos.lookup(&m_gateway, userId, [self](bool ok, qint64 lastId) {
        if (!self || self->m_state != State::Open)
            return;
        if (ok) {
            self->sendHello(lastId);
            return;
        }
        self->sendError(ErrorCode::Unavailable, QStringLiteral("the database is unavailable"));
        self->close(kGoingAway, QStringLiteral("reconnect"));
    });
}

void ClientConnection::sendHello(qint64 lastMessageId)
{
    const DaemonConfig &config = services().config;
    sendFrame(frames::hello(userJson(m_auth.user), config.instanceId, config.heartbeatSeconds,
                            lastMessageId));
    m_hold = Hold::Grace;
    m_holdUntilMs = nowMs() + config.syncGraceMs;
    if (config.syncGraceMs == 0)
        releaseHeld();
    else if (!m_held.empty())
        m_gateway.endGraceAt(this, m_holdUntilMs); // what came before hello
    while (!m_early.isEmpty() && m_state == State::Open)
        handleFrame(m_early.takeFirst());
}

// ---- client frames ---------------------------------------------------------

void ClientConnection::handleFrame(const QByteArray &utf8)
{
    ClientFrame parsed = parseClientFrame(utf8);

    if (auto *error = std::get_if<FrameError>(&parsed)) {
        sendError(ErrorCode::BadRequest, error->message, error->hasRef ? &error->ref : nullptr);
        return;
    }
    if (m_state == State::AwaitingAuth) {
        if (auto *auth = std::get_if<AuthFrame>(&parsed)) {
            beginAuth(auth->token);
            return;
        }
        sendError(ErrorCode::Unauthorized, QStringLiteral("send an auth frame first"));
        return;
    }
    if (m_state != State::Open)
        return;

    // The first frame after hello ends the grace period unless it is a sync,
    // which holds live messages itself.
    if (m_hold == Hold::Grace && !std::holds_alternative<SyncFrame>(parsed))
        releaseHeld();

    if (auto *send = std::get_if<SendFrame>(&parsed))
        handleSend(*send);
    else if (auto *typing = std::get_if<TypingFrame>(&parsed))
        handleTyping(*typing);
    else if (auto *read = std::get_if<ReadFrame>(&parsed))
        handleRead(*read);
    else if (auto *sync = std::get_if<SyncFrame>(&parsed))
        startSync(*sync);
    else if (auto *ping = std::get_if<PingFrame>(&parsed))
        sendFrame(frames::pong(ping->hasTs ? &ping->tsJson : nullptr));
    else if (std::holds_alternative<AuthFrame>(parsed))
        sendError(ErrorCode::BadRequest, QStringLiteral("already authenticated"));
}

void ClientConnection::handleSend(SendFrame &frame)
{
    Services &s = services();
    s.metrics.messagesReceived.inc();
    QPointer<ClientConnection> self(this);
    s.rates.take(&m_gateway, "send:" + QByteArray::number(userId()), s.config.sendRule,
                 [self, frame = std::move(frame)](RateDecision d) mutable {
                     if (self && self->m_state == State::Open)
                         self->continueSend(frame, d);
                 });
}

void ClientConnection::continueSend(SendFrame &frame, const RateDecision &decision)
{
    Services &s = services();
    if (!decision.allowed) {
        s.metrics.rateLimited.inc();
        sendError(ErrorCode::RateLimited, QStringLiteral("too many messages; slow down"),
                  &frame.clientMsgId, decision.retryAfterMs);
        return;
    }
    SendCommand cmd;
    cmd.send = {userId(), frame.conversationId, frame.clientMsgId, std::move(frame.body)};
    cmd.originConnection = m_id;
    cmd.receivedNs = steadyNs();
    QPointer<ClientConnection> self(this);
    QPointer<WsGateway> home(&m_gateway);
    const QString ref = frame.clientMsgId;
    cmd.reply = [self, home, ref](const SendResult &result) {
        // On the writer thread: hop back to this connection's thread (through
        // its gateway, which outlives every connection of the thread).
        if (!home)
            return;
        QMetaObject::invokeMethod(
            home.data(),
            [self, ref, result] {
                if (!self)
                    return;
                switch (result.status) {
                case SendResult::Status::Stored:
                case SendResult::Status::Duplicate:
                    self->sendFrame(frames::ack(result.message->message.clientMsgId, result.message->json));
                    break;
                case SendResult::Status::NotFound:
                    self->sendError(ErrorCode::NotFound, QStringLiteral("no such conversation"),
                                    &ref);
                    break;
                case SendResult::Status::Failed:
                    self->sendError(ErrorCode::Unavailable,
                                    QStringLiteral("the message was not stored; send it again"),
                                    &ref);
                    break;
                }
            },
            Qt::QueuedConnection);
    };
    s.writer.submit(std::move(cmd));
}

// The typing limit (per user and conversation) is decided first: a frame
// past it is dropped before any look-up.
void ClientConnection::handleTyping(const TypingFrame &frame)
{
    Services &s = services();
    QPointer<ClientConnection> self(this);
    const qint64 conv = frame.conversationId;
    s.rates.take(&m_gateway, "typing:" + QByteArray::number(userId()) + ':' + QByteArray::number(conv),
                 s.config.typingRule, [self, conv](RateDecision d) {
                     if (d.allowed && self && self->m_state == State::Open)
                         self->relayTyping(conv);
                 });
}

void ClientConnection::relayTyping(qint64 conv)
{
    Services &s = services();
    const qint64 user = userId();
    if (auto m = s.members.find(conv)) {
        if (m->contains(user)) // not theirs: silently nothing, as for any dropped typing
            s.hub.sendToUsers({m->peerOf(user)}, frames::typing(conv, user));
        return;
    }
    // One look-up at a time per connection: conversations that do not exist
    // are never cached, and each would cost a query on the read pool.
    if (m_typingLookup)
        return;
    m_typingLookup = true;
    QPointer<ClientConnection> self(this);
    MembershipCache &cache = s.members;
    Hub &hub = s.hub;
    s.readers.run<std::optional<store::Members>>(
        &m_gateway, [&cache, conv](Db &db) { return cache.load(db, conv); },
        [self, &hub, user, conv](std::optional<store::Members> m) {
            if (!self)
                return;
            self->m_typingLookup = false;
            if (m && m->contains(user) && self->m_state == State::Open)
                hub.sendToUsers({m->peerOf(user)}, frames::typing(conv, user));
        },
        [self](const DbError &) {
            if (self)
                self->m_typingLookup = false;
        });
}

// Reads are stored by the writer, which owns cursor updates. One job per
// connection at a time: reads that arrive meanwhile wait, and reads of one
// conversation collapse into the highest message id (the cursor only moves
// forward), so a flood of reads is a few jobs, not one each.
void ClientConnection::handleRead(const ReadFrame &frame)
{
    const auto waiting = m_reads.find(frame.conversationId);
    if (waiting != m_reads.end()) {
        *waiting = std::max(*waiting, frame.messageId);
        return;
    }
    if (m_reads.size() >= kMaxWaitingReads) {
        sendError(ErrorCode::Unavailable, QStringLiteral("too many reads waiting; send it again"));
        return;
    }
    m_reads.insert(frame.conversationId, frame.messageId);
    if (!m_readsRunning)
        storeReads();
}

void ClientConnection::storeReads()
{
    std::vector<ReadFrame> reads;
    for (auto it = m_reads.begin(); it != m_reads.end() && qsizetype(reads.size()) < kReadsPerJob;) {
        reads.push_back({it.key(), it.value()});
        it = m_reads.erase(it);
    }
    if (m_reads.isEmpty())
        m_reads.clear(); // frees the table: most connections read rarely
    Services &s = services();
    const qint64 user = userId();
    QPointer<ClientConnection> self(this);
    QPointer<WsGateway> home(&m_gateway);
    MembershipCache &cache = s.members;
    Hub &hub = s.hub;
    m_readsRunning = s.writer.post([self, home, &cache, &hub, user, reads](Db &db) {
        int missing = 0, failed = 0;
        for (const ReadFrame &r : reads) {
            try {
                const auto members = cache.load(db, r.conversationId);
                const auto message = store::messageById(db, r.messageId);
                if (!members || !members->contains(user) || !message
                    || message->conversationId != r.conversationId) {
                    ++missing;
                    continue;
                }
                if (store::advanceReadCursor(db, r.conversationId, user, message->id, message->seq))
                    hub.sendToUsers({members->peerOf(user)},
                                    frames::read(r.conversationId, user, message->id));
            } catch (const DbError &e) {
                qCWarning(lcWriter).noquote() << "read cursor not stored:" << e.what();
                ++failed;
            }
        }
        // The answer (errors, if any) goes back to the connection's thread.
        if (!home)
            return;
        QMetaObject::invokeMethod(
            home.data(),
            [self, missing, failed] {
                if (!self)
                    return;
                for (int i = 0; i < missing; ++i)
                    self->sendError(ErrorCode::NotFound,
                                    QStringLiteral("no such message in that conversation"));
                for (int i = 0; i < failed; ++i)
                    self->sendError(ErrorCode::Unavailable,
                                    QStringLiteral("the read was not stored; send it again"));
                self->readsStored();
            },
            Qt::QueuedConnection);
    });
    if (m_readsRunning)
        return;
    // The writer's queue is full: these reads and any still waiting are not
    // stored, and the client hears so for each.
    const qsizetype refused = qsizetype(reads.size()) + m_reads.size();
    m_reads.clear();
    for (qsizetype i = 0; i < refused; ++i)
        sendError(ErrorCode::Unavailable, QStringLiteral("too busy to store the read; send it again"));
}

void ClientConnection::readsStored()
{
    m_readsRunning = false;
    if (!m_reads.isEmpty() && m_state == State::Open)
        storeReads();
}

// ---- sync and the hold on live messages -----------------------------------

void ClientConnection::startSync(const SyncFrame &frame)
{
    if (m_syncRunning)
        m_pendingSyncs.push_back(frame); // one at a time, in order
    else
        runSync(frame);
}

void ClientConnection::runSync(const SyncFrame &next)
{
    m_syncRunning = true;
    m_hold = Hold::Sync;
    const qint64 user = userId();
    QPointer<ClientConnection> self(this);
    // Which conversations have anything new: one cheap query. Most
    // reconnecting clients have nothing or a few messages to catch up on,
    // and those usually come from the recent-messages cache.
    services().readers.run<QHash<qint64, qint64>>(
        &m_gateway, [user, next](Db &db) { return store::syncHeads(db, user, next.afterId); },
        [self, next](QHash<qint64, qint64> heads) {
            if (!self || self->m_state != State::Open)
                return;
            if (heads.isEmpty()) {
                self->finishSync(next, 0, false);
                return;
            }
            self->syncFromCache(next, heads);
        },
        [self](const DbError &) {
            if (self)
                self->syncFailed();
        });
}

void ClientConnection::syncFromCache(const SyncFrame &next, const QHash<qint64, qint64> &heads)
{
    QPointer<ClientConnection> self(this);
    services().recent.get(&m_gateway, heads.keys(), [self, next, heads](RecentMessages::Found_ found) {
        if (!self || self->m_state != State::Open)
            return;
        CachedList all;
        for (auto it = heads.cbegin(); it != heads.cend(); ++it) {
            auto part = afterFromCache(found.lists.value(it.key()), it.value(), next.afterId);
            if (!part) {
                self->syncFromDatabase(next);
                return;
            }
            all += *part;
        }
        std::sort(all.begin(), all.end(),
                  [](const CachedMessage &a, const CachedMessage &b) { return a.id < b.id; });
        bool hasMore = all.size() > next.limit;
        if (hasMore)
            all.resize(next.limit);
        qint64 lastSent = 0;
        qint64 budget = self->syncPageBytes();
        for (const CachedMessage &m : all) {
            const QByteArray frame = frames::message(m.json);
            if (!spendPageBudget(budget, frame.size(), lastSent != 0)) {
                hasMore = true;
                break;
            }
            self->sendFrame(frame);
            lastSent = m.id;
        }
        self->finishSync(next, lastSent, hasMore);
    });
}

void ClientConnection::syncFromDatabase(const SyncFrame &next)
{
    const qint64 user = userId();
    QPointer<ClientConnection> self(this);
    services().readers.run<store::MessagePage>(
        &m_gateway, [user, next](Db &db) { return store::syncMessages(db, user, next.afterId, next.limit); },
        [self, next](store::MessagePage page) {
            if (!self || self->m_state != State::Open)
                return;
            qint64 lastSent = 0;
            qint64 budget = self->syncPageBytes();
            for (const Message &m : page.items) {
                const QByteArray frame = frames::message(messageJson(m));
                if (!spendPageBudget(budget, frame.size(), lastSent != 0)) {
                    page.hasMore = true;
                    break;
                }
                self->sendFrame(frame);
                lastSent = m.id;
            }
            self->finishSync(next, lastSent, page.hasMore);
        },
        [self](const DbError &) {
            if (self)
                self->syncFailed();
        });
}

qint64 ClientConnection::syncPageBytes() const
{
    return services().config.outgoingLimitBytes / 2;
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
    m_syncedUpTo = std::max(m_syncedUpTo, lastSentId);
    m_syncRunning = false;
    if (m_state != State::Open)
        return;
    if (!m_pendingSyncs.isEmpty()) {
        runSync(m_pendingSyncs.takeFirst());
        return;
    }
    if (hasMore) {
        // The client goes on syncing; live messages wait for it (bounded).
        m_holdUntilMs = nowMs() + kSyncContinueMs;
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
    if (m_state != State::Open)
        return;
    if (message->message.id <= m_syncedUpTo)
        return; // already sent by a sync
    if (m_hold == Hold::Grace)
        endGraceIfDue(nowMs());
    if (m_hold != Hold::None) {
        hold({message, {}});
        return;
    }
    services().metrics.messagesDelivered.inc();
    sendFrame(message->frame);
}

void ClientConnection::deliverEvent(const QByteArray &frame)
{
    if (m_state != State::Open)
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
