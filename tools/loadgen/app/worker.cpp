#include "worker.h"

#include "clock.h"
#include "msg_tag.h"
#include "server_frame.h"

#include <algorithm>
#include <cstring>
#include <future>

namespace sanayicin::loadgen {

namespace {

constexpr int64_t kTickNs = 100 * kNsPerMs;
constexpr int64_t kClosingTimeoutNs = 2 * kNsPerSec;
constexpr int kMaxSendsPerTurn = 4096; // then read again: replies must not wait behind a backlog
constexpr int kTimeoutCode = -3;
// --reconnect: nothing from the server for three heartbeats (a frozen or
// cut-off instance: our pings go unanswered); the connection is dropped and
// the client reconnects elsewhere, as the protocol's keep-alive intends.
constexpr int kSilentServerCode = -4;
// --churn: a connection due to leave stops sending and waits this long at
// most for the answers to its sends before it closes (a client leaving
// cleanly; what is still unanswered then is for the checker to resolve).
constexpr int64_t kChurnDrainNs = 5 * kNsPerSec;

// Only this thread writes a worker's live counters: a plain load and store
// is enough, and cheaper than an atomic read-modify-write.
void bump(std::atomic<uint64_t> &a, uint64_t n = 1)
{
    a.store(a.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
}

uint64_t toMicros(int64_t ns)
{
    return ns <= 0 ? 0 : uint64_t(ns / 1000);
}

void appendInt(std::string &s, int64_t v)
{
    char buf[24];
    const int n = std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
    s.append(buf, size_t(n));
}

} // namespace

struct Worker::Session : WsClientConn
{
    Session(Worker &w, uint32_t index) : WsClientConn(w, w.m_loop), index(index) {}

    uint32_t index;               // connection index in the layout
    uint32_t user = 0;
    std::vector<UserConversation> conversations; // the user's; sends go to each in turn
    bool sender = false;
    bool helloSeen = false;       // open at the protocol level
    bool inFlight = false;        // counted against the connect concurrency
    int attempts = 0;             // connects so far
    uint32_t urlShift = 0;        // reconnections go to the next --url each time (maybe elsewhere)
    int reconnectFailures = 0;    // in a row, for the backoff
    int64_t connectStartNs = 0;
    int64_t nextPingNs = INT64_MAX;
    int64_t heartbeatNs = 30 * kNsPerSec;
    int64_t closingSinceNs = 0;
    int64_t reconnectAtNs = 0;
    // The sync cursor: the highest id of a message frame received (live or
    // by sync). Not an ack's id: a message of the other participant with a
    // lower id may still be on its way when our own is acknowledged.
    int64_t highestId = 0;
    uint64_t messages = 0;        // counter in client_msg_id
    uint32_t inFlightSends = 0;   // sent on this connection, not yet answered
    bool syncing = false;         // a sync is out: message frames are its answer
    bool finalSync = false;       // the sync after the drain (live().finalSyncs)
    bool finalResync = false;     // a sync was out when the final one was due: ask again after it
    int64_t syncRetryAtNs = 0;    // a sync refused (unavailable): when to ask again
    int64_t lastFrameNs = 0;      // the last frame from the server
    int64_t churnAtNs = INT64_MAX; // --churn: when this connection leaves
    int64_t churnSinceNs = 0;     // leaving: no new sends since then
    bool churning = false;        // leaving on purpose (close 1000, then open again)
    ReceiveTrack track;
};

Worker::Worker(int index, RunShared &shared)
    : m_index(index), m_shared(shared), m_options(*shared.options), m_layout(*shared.layout)
    , m_readBuffer(256 * 1024), m_rng(randomSeed() ^ uint64_t(index)), m_history(shared.history)
{
    m_loop.setWakeCallback([this] { runCommands(); });
}

Worker::~Worker()
{
    if (m_thread.joinable()) {
        m_quit = true;
        m_loop.wake();
        m_thread.join();
    }
}

void Worker::addConnection(uint32_t connIndex)
{
    auto s = std::make_unique<Session>(*this, connIndex);
    const ConnPlan &plan = m_layout.conns[connIndex];
    s->user = plan.user;
    s->sender = plan.sender;
    s->conversations = m_layout.conversationsOfUser(plan.user);
    if (s->sender)
        m_senders.push_back(s.get());
    m_sessions.push_back(std::move(s));
}

void Worker::start()
{
    m_thread = std::thread([this] { run(); });
}

void Worker::join()
{
    if (!m_thread.joinable())
        return;
    call([this] { m_quit = true; });
    m_thread.join();
}

void Worker::call(const std::function<void()> &fn)
{
    std::promise<void> done;
    {
        std::lock_guard<std::mutex> lock(m_commandsMutex);
        m_commands.push_back([&] {
            fn();
            done.set_value();
        });
    }
    m_loop.wake();
    done.get_future().wait();
}

void Worker::runCommands()
{
    std::vector<std::function<void()>> commands;
    {
        std::lock_guard<std::mutex> lock(m_commandsMutex);
        commands.swap(m_commands);
    }
    for (auto &c : commands)
        c();
}

char *Worker::readBuffer(size_t &size)
{
    size = m_readBuffer.size();
    return m_readBuffer.data();
}

void Worker::run()
{
    m_nextTickNs = monoNs() + kTickNs;
    const int64_t batchNs = int64_t(m_options.sendBatchUs) * 1000;
    while (!m_quit) {
        int64_t due = m_schedule.nextDueNs();
        // Fewer timer wake-ups: each costs an epoll_pwait2 and a context
        // switch, which at 50 µs between due times is most of the kernel time.
        if (batchNs > 0 && due != INT64_MAX)
            due = std::max(due, m_lastSendWakeNs + batchNs);
        int64_t deadline = std::min(due, m_nextTickNs);
        if (!m_dirty.empty())
            deadline = 0;
        m_loop.poll(deadline);
        const int64_t now = monoNs();
        sendDue(now);
        if (now >= m_nextTickNs) {
            tick(now);
            m_nextTickNs = now + kTickNs;
        }
        flushDirty();
    }
    m_history.flush();
}

void Worker::flushDirty()
{
    // flush() may close a connection, which must not add to the list being walked.
    std::vector<WsClientConn *> dirty;
    dirty.swap(m_dirty);
    for (WsClientConn *c : dirty)
        c->flush();
    if (m_dirty.empty()) {
        dirty.clear();
        m_dirty.swap(dirty); // keep the capacity for the next turn
    }
}

// ---- connecting ------------------------------------------------------------

void Worker::connectAll(int maxInFlight)
{
    m_maxInFlight = std::max(1, maxInFlight);
    for (auto &s : m_sessions)
        m_connectQueue.push_back(s.get());
    startConnects();
}

void Worker::startConnects()
{
    while (m_inFlight < m_maxInFlight && !m_connectQueue.empty()) {
        Session *s = m_connectQueue.front();
        m_connectQueue.pop_front();
        startConnect(*s);
    }
}

void Worker::startConnect(Session &s)
{
    const ConnPlan &plan = m_layout.conns[s.index];
    const Account &account = m_layout.accounts[plan.user];
    s.connectStartNs = monoNs();
    if (!m_stats.firstConnectNs)
        m_stats.firstConnectNs = s.connectStartNs;
    ++s.attempts;
    const std::string_view bearer = m_options.authFrame ? std::string_view() : account.token;
    const Endpoint &endpoint = m_shared.endpoints[(plan.url + s.urlShift) % m_shared.endpoints.size()];
    if (!s.connect(endpoint, plan.source, bearer, m_rng.next(), m_rng.next())) {
        ++m_stats.connectFailed;
        ++m_stats.connectErrors[std::string("connect: ") + std::strerror(s.lastErrno())];
        bump(m_live.failed);
        return;
    }
    s.inFlight = true;
    ++m_inFlight;
}

void Worker::onConnOpen(WsClientConn &c)
{
    auto &s = static_cast<Session &>(c);
    if (m_options.authFrame) {
        m_text.assign("{\"type\":\"auth\",\"token\":\"");
        m_text.append(m_layout.accounts[s.user].token).append("\"}");
        s.sendText(m_text, m_rng.next32());
    }
}

void Worker::onConnClosed(WsClientConn &c, int code)
{
    auto &s = static_cast<Session &>(c);
    const int64_t now = monoNs();
    if (s.inFlight) {
        s.inFlight = false;
        --m_inFlight;
    }
    if (!s.helloSeen) {
        if (m_closingAll)
            return;
        if ((m_options.reconnect || m_options.churn > 0)
            && m_shared.slots[s.index].openedNs.load(std::memory_order_relaxed)) {
            // A reconnect that failed (the instance is not back yet): try
            // again, backing off to at most 5 s between attempts.
            ++m_stats.reconnectFailures;
            ++s.reconnectFailures;
            const int64_t backoff = std::min<int64_t>(5000, 200LL << std::min(s.reconnectFailures, 5));
            s.reconnectAtNs = now + (backoff + int64_t(m_rng.below(200))) * kNsPerMs;
            ++s.urlShift;
            m_reconnectQueue.push_back(&s);
            startConnects();
            return;
        }
        // Failed before hello: connect error, refused upgrade, 4001, timeout.
        ++m_stats.connectFailed;
        bump(m_live.failed);
        std::string why;
        if (code == WsClientConn::kConnectFailed)
            why = std::string("connect: ") + std::strerror(s.lastErrno());
        else if (code == WsClientConn::kHandshakeFailed)
            why = "handshake: HTTP " + std::to_string(s.httpStatus());
        else if (code == kTimeoutCode)
            why = "timeout before hello";
        else
            why = "closed before hello: " + std::to_string(code);
        ++m_stats.connectErrors[why];
        startConnects();
        return;
    }
    s.helloSeen = false;
    s.nextPingNs = INT64_MAX;
    const bool churned = s.churning;
    s.churning = false;
    s.churnAtNs = INT64_MAX;
    const bool ours = !churned && (m_shared.finalizing.load(std::memory_order_relaxed) || m_closingAll);
    if (m_history.enabled()) {
        m_history.begin(wall(now), ours || churned ? "close" : "lost").num("c", s.index).num("code", code)
            .num("pending", s.inFlightSends);
        if (churned)
            m_history.flag("churn", true);
        m_history.end();
    }
    // Sends without an answer now never get one on this connection: their
    // fate is for the sync after the reconnection (and the history checker).
    bump(m_live.abandoned, s.inFlightSends);
    s.inFlightSends = 0;
    s.syncing = false; // a reconnection syncs again (onConnText, hello)
    s.finalResync = false;
    s.syncRetryAtNs = 0;
    if (ours || (churned && m_closingAll))
        return;
    bump(m_live.away);
    m_shared.slots[s.index].closedNs.store(now, std::memory_order_relaxed);
    if (churned) {
        // The same user comes back at once, at the next instance, and syncs
        // from its cursor (onConnText, hello).
        ++m_stats.churns;
        s.reconnectAtNs = now + int64_t(m_rng.below(200)) * kNsPerMs;
        ++s.urlShift;
        m_reconnectQueue.push_back(&s);
        return;
    }
    ++m_stats.closes;
    ++m_stats.closesByCode[code];
    // 1001: the instance is going away; reconnect (maybe elsewhere) and sync.
    if (m_options.reconnect && (code == 1001 || code == 1006 || code == kSilentServerCode)) {
        s.reconnectAtNs = now + 100 * kNsPerMs + int64_t(m_rng.below(900)) * kNsPerMs;
        ++s.urlShift;
        m_reconnectQueue.push_back(&s);
    }
}

// ---- frames from the server -----------------------------------------------

void Worker::onConnText(WsClientConn &c, std::string_view text)
{
    auto &s = static_cast<Session &>(c);
    const int64_t now = monoNs();
    s.lastFrameNs = now;
    ServerFrame f;
    if (!parseServerFrame(text, f)) {
        ++m_stats.errors;
        ++m_stats.errorsByCode["unparsable frame"];
        return;
    }
    switch (f.type) {
    case ServerFrame::Type::Message: {
        switch (s.track.record(f.conversationId, f.seq)) {
        case ReceiveTrack::Outcome::New:
            break;
        case ReceiveTrack::Outcome::Duplicate:
            ++m_stats.duplicates;
            break;
        case ReceiveTrack::Outcome::OutOfOrder:
            ++m_stats.orderViolations;
            break;
        }
        if (f.id > s.highestId)
            s.highestId = f.id;
        if (m_history.enabled()) {
            m_history.begin(wall(now), "msg").num("c", s.index).num("conv", f.conversationId)
                .num("id", f.id).num("seq", f.seq).num("sender", f.senderId)
                .str("cmid", f.clientMsgId).str("via", s.syncing ? "sync" : "live").end();
        }
        MsgTag tag;
        if (!parseMsgTag(f.clientMsgId, tag) || tag.run != m_shared.runTag) {
            ++m_stats.foreign;
            return;
        }
        if (tag.connection == s.index)
            return; // our own message, back by a sync after a reconnection: not a delivery
        ++m_stats.delivered;
        bump(m_live.delivered);
        const int64_t due = m_shared.originNs + tag.dueNs;
        if (due >= m_measureFromNs)
            m_stats.delivery.record(toMicros(now - due));
        return;
    }
    case ServerFrame::Type::Ack: {
        MsgTag tag;
        if (!parseMsgTag(f.clientMsgId, tag) || tag.run != m_shared.runTag) {
            ++m_stats.foreign;
            return;
        }
        if (s.inFlightSends > 0)
            --s.inFlightSends;
        if (m_history.enabled()) {
            m_history.begin(wall(now), "ack").num("c", s.index).str("cmid", f.clientMsgId)
                .num("conv", f.conversationId).num("id", f.id).num("seq", f.seq).end();
        }
        ++m_stats.acked;
        bump(m_live.acked);
        const int64_t due = m_shared.originNs + tag.dueNs;
        if (due >= m_measureFromNs)
            m_stats.ack.record(toMicros(now - due));
        const uint32_t receivers = eligibleReceivers(s, f.conversationId, due);
        m_stats.expectedDeliveries += receivers;
        bump(m_live.expected, receivers);
        if (m_options.verify)
            m_acks.push_back({f.conversationId, f.seq, due, s.index});
        return;
    }
    case ServerFrame::Type::Pong:
        ++m_stats.pongs;
        bump(m_live.pongs);
        if (f.hasTs)
            m_stats.pingRtt.record(toMicros(now - (m_shared.originNs + f.ts)));
        return;
    case ServerFrame::Type::Hello: {
        s.helloSeen = true;
        if (s.inFlight) {
            s.inFlight = false;
            --m_inFlight;
        }
        ConnSlot &slot = m_shared.slots[s.index];
        const bool reconnected = slot.openedNs.load(std::memory_order_relaxed) != 0;
        if (m_history.enabled()) {
            m_history.begin(wall(now), "open").num("c", s.index).num("uid", f.userId)
                .num("last", f.lastMessageId).flag("re", reconnected).end();
        }
        if (reconnected) {
            slot.closedNs.store(0, std::memory_order_relaxed);
            if (m_live.away.load(std::memory_order_relaxed) > 0)
                bump(m_live.away, uint64_t(-1));
            ++m_stats.reconnects;
            s.reconnectFailures = 0;
        } else {
            slot.openedNs.store(now, std::memory_order_relaxed);
            m_stats.connect.record(toMicros(now - s.connectStartNs));
            ++m_stats.connectOk;
            bump(m_live.opened);
        }
        if (now > m_stats.lastHelloNs)
            m_stats.lastHelloNs = now;
        const int64_t beat = m_options.heartbeat > 0 ? m_options.heartbeat
                             : f.heartbeatS > 0     ? f.heartbeatS
                                                    : 30;
        s.heartbeatNs = beat * kNsPerSec;
        // Spread the pings of thousands of connections over the period.
        s.nextPingNs = now + int64_t(m_rng.below(uint64_t(s.heartbeatNs)));
        if (m_options.churn > 0) {
            // A lifetime from 0.5 to 1.5 times --churn.
            const auto span = uint64_t(m_options.churn * 1e9);
            s.churnAtNs = now + int64_t(span / 2 + m_rng.below(span + 1));
        }
        if (reconnected || s.finalSync) {
            // Whatever arrived while away (guarantee 2 of docs/protocol.md).
            sendSync(s, now);
        } else {
            // A first frame ends the daemon's hold on live messages after
            // hello (sync grace); a ping is the harmless one.
            sendPing(s, now);
        }
        startConnects();
        return;
    }
    case ServerFrame::Type::Error: {
        ++m_stats.errors;
        ++m_stats.errorsByCode[std::string(f.code.empty() ? std::string_view("?") : f.code)];
        if (m_history.enabled()) {
            m_history.begin(wall(now), "error").num("c", s.index).str("code", f.code)
                .str("ref", f.ref).end();
        }
        MsgTag tag;
        if (parseMsgTag(f.ref, tag) && tag.run == m_shared.runTag) {
            ++m_stats.refusedSends;
            bump(m_live.refused);
            if (s.inFlightSends > 0)
                --s.inFlightSends;
        } else if (f.ref.empty() && s.syncing) {
            // The sync failed (unavailable, rate_limited): ask again shortly.
            s.syncing = false;
            s.syncRetryAtNs = now + 500 * kNsPerMs;
        }
        return;
    }
    case ServerFrame::Type::Synced:
        if (m_history.enabled()) {
            m_history.begin(wall(now), "synced").num("c", s.index).num("last", f.lastId)
                .flag("more", f.hasMore).end();
        }
        s.syncing = false;
        if (f.hasMore || s.finalResync) {
            // More to come (the server holds live messages until this one),
            // or the final sync was due while this one was out.
            s.finalResync = false;
            sendSync(s, now, f.hasMore ? f.lastId : -1);
        } else if (s.finalSync) {
            s.finalSync = false;
            bump(m_live.finalSyncs);
        }
        return;
    default:
        return; // presence, typing, read: not measured
    }
}

uint32_t Worker::eligibleReceivers(const Session &sender, int64_t conversationId, int64_t sentNs) const
{
    const auto to = std::find_if(sender.conversations.begin(), sender.conversations.end(),
                                 [&](const UserConversation &c) { return c.id == conversationId; });
    if (to == sender.conversations.end())
        return 0;
    uint32_t n = 0;
    for (uint32_t u : {sender.user, to->peer}) {
        for (uint32_t conn : m_layout.connsOfUser[u]) {
            if (conn == sender.index)
                continue;
            const ConnSlot &slot = m_shared.slots[conn];
            const int64_t opened = slot.openedNs.load(std::memory_order_relaxed);
            if (opened != 0 && opened <= sentNs && slot.closedNs.load(std::memory_order_relaxed) == 0)
                ++n;
        }
    }
    return n;
}

// ---- sending ---------------------------------------------------------------

void Worker::startSending(int64_t startNs, double rate, int64_t endNs, int64_t measureFromNs)
{
    m_schedule.start(startNs, rate, endNs);
    m_measureFromNs = measureFromNs;
}

void Worker::stopSending()
{
    m_schedule.stop();
}

Worker::Session *Worker::nextSender()
{
    for (size_t tries = 0; tries < m_senders.size(); ++tries) {
        Session *s = m_senders[m_nextSender];
        m_nextSender = (m_nextSender + 1) % m_senders.size();
        if (s->helloSeen && !s->churning)
            return s;
    }
    return nullptr;
}

void Worker::sendDue(int64_t now)
{
    if (m_schedule.nextDueNs() > now)
        return;
    m_lastSendWakeNs = now;
    int64_t due = 0;
    for (int n = 0; n < kMaxSendsPerTurn && m_schedule.popDue(now, due); ++n) {
        ++m_stats.scheduled;
        Session *s = nextSender();
        if (!s) {
            ++m_stats.skipped;
            continue;
        }
        sendMessage(*s, due, now);
    }
}

void Worker::sendMessage(Session &s, int64_t dueNs, int64_t now)
{
    if (s.conversations.empty())
        return;
    const int64_t conversationId = s.conversations[s.messages % s.conversations.size()].id;
    char tag[kMsgTagMax];
    const size_t tagLength =
        formatMsgTag({m_shared.runTag, s.index, s.messages++, dueNs - m_shared.originNs}, tag);
    m_text.assign("{\"type\":\"send\",\"conversation_id\":");
    appendInt(m_text, conversationId);
    m_text.append(",\"client_msg_id\":\"").append(tag, tagLength).append("\",\"body\":\"");
    m_text.append(m_shared.body).append("\"}");
    s.sendText(m_text, m_rng.next32());
    ++s.inFlightSends;
    if (m_history.enabled()) {
        m_history.begin(wall(now), "send").num("c", s.index).num("conv", conversationId)
            .str("cmid", std::string_view(tag, tagLength)).end();
    }
    ++m_stats.sent;
    bump(m_live.sent);
    if (dueNs >= m_measureFromNs)
        m_stats.sendLag.record(toMicros(now - dueNs));
}

void Worker::sendPing(Session &s, int64_t now)
{
    m_text.assign("{\"type\":\"ping\",\"ts\":");
    appendInt(m_text, now - m_shared.originNs);
    m_text.push_back('}');
    s.sendText(m_text, m_rng.next32());
    ++m_stats.pings;
    bump(m_live.pings);
}

void Worker::sendSync(Session &s, int64_t now, int64_t afterId)
{
    if (afterId < 0)
        afterId = s.highestId;
    m_text.assign("{\"type\":\"sync\",\"after_id\":");
    appendInt(m_text, afterId);
    m_text.append(",\"limit\":1000}");
    s.sendText(m_text, m_rng.next32());
    s.syncing = true;
    s.syncRetryAtNs = 0;
    if (s.finalSync)
        s.finalResync = false; // this one is the final sync
    if (m_history.enabled())
        m_history.begin(wall(now), "sync").num("c", s.index).num("after", afterId)
            .flag("final", s.finalSync).end();
}

uint32_t Worker::finalSync()
{
    const int64_t now = monoNs();
    m_churn = false; // clients stay from here to the end: each one's final state is checked
    uint32_t asked = 0;
    for (auto &sp : m_sessions) {
        Session &s = *sp;
        if (!m_shared.slots[s.index].openedNs.load(std::memory_order_relaxed))
            continue; // never opened: nothing to complete
        if (s.churning && s.state() == WsClientConn::State::Open)
            s.churning = false; // not leaving after all: the run is ending
        s.finalSync = true;
        ++asked;
        // Closed ones sync when they are back (onConnText, hello); one with
        // a sync out asks again once it is answered, so that the history
        // shows a final sync for every connection.
        if (s.helloSeen && s.state() == WsClientConn::State::Open) {
            if (s.syncing)
                s.finalResync = true;
            else
                sendSync(s, now);
        }
    }
    return asked;
}

// ---- housekeeping ----------------------------------------------------------

void Worker::tick(int64_t now)
{
    const int64_t connectTimeout = int64_t(m_options.connectTimeout * 1e9);
    for (auto &sp : m_sessions) {
        Session &s = *sp;
        const WsClientConn::State st = s.state();
        if (s.helloSeen && st == WsClientConn::State::Open) {
            if (s.syncRetryAtNs && now >= s.syncRetryAtNs)
                sendSync(s, now);
            if (m_churn && !s.churning && now >= s.churnAtNs && !m_closingAll
                && !m_shared.finalizing.load(std::memory_order_relaxed)) {
                s.churning = true; // no new sends from here (nextSender)
                s.churnSinceNs = now;
            }
            if (s.churning && (s.inFlightSends == 0 || now - s.churnSinceNs > kChurnDrainNs)) {
                s.close(1000, m_rng.next32());
                continue;
            }
            if (m_options.reconnect && m_keepalive && now - s.lastFrameNs > 3 * s.heartbeatNs) {
                s.abort(kSilentServerCode);
                continue;
            }
            if (m_keepalive && now >= s.nextPingNs) {
                sendPing(s, now);
                s.nextPingNs = now + s.heartbeatNs;
            }
        } else if (s.inFlight && now - s.connectStartNs > connectTimeout) {
            s.abort(kTimeoutCode);
        }
        if (st == WsClientConn::State::Closing) {
            if (!s.closingSinceNs)
                s.closingSinceNs = now;
            else if (now - s.closingSinceNs > kClosingTimeoutNs)
                s.abort(1006);
        } else {
            s.closingSinceNs = 0;
        }
    }
    for (size_t i = 0; i < m_reconnectQueue.size();) {
        Session *s = m_reconnectQueue[i];
        if (m_closingAll) {
            m_reconnectQueue.clear();
            break;
        }
        if (s->reconnectAtNs <= now) {
            m_reconnectQueue[i] = m_reconnectQueue.back();
            m_reconnectQueue.pop_back();
            m_connectQueue.push_back(s);
            continue;
        }
        ++i;
    }
    startConnects();
}

// ---- results ---------------------------------------------------------------

RunStats Worker::takeStats(bool reset)
{
    RunStats out = m_stats;
    if (reset) {
        m_stats.reset();
    }
    return out;
}

std::vector<AckRecord> Worker::takeAcks()
{
    std::vector<AckRecord> out;
    out.swap(m_acks);
    return out;
}

void Worker::receiverStates(std::vector<ReceiverState> &out) const
{
    for (const auto &s : m_sessions) {
        ReceiverState &r = out[s->index];
        r.track = &s->track;
        r.openedNs = m_shared.slots[s->index].openedNs.load(std::memory_order_relaxed);
        r.closedNs = m_shared.slots[s->index].closedNs.load(std::memory_order_relaxed);
    }
}

void Worker::closeAll()
{
    m_closingAll = true;
    m_schedule.stop();
    m_connectQueue.clear();
    for (auto &s : m_sessions) {
        s->churning = false; // a leave under way ends as the run's own close
        if (s->state() == WsClientConn::State::Open)
            s->close(1000, m_rng.next32());
        else if (s->state() != WsClientConn::State::Closing)
            s->abort(1000);
    }
}

void Worker::abortAll()
{
    m_closingAll = true;
    for (auto &s : m_sessions)
        s->abort(1000);
}

} // namespace sanayicin::loadgen
