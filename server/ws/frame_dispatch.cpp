// Each client frame to its use case (chat/), and the outcome back as frames.

#include "chat/chat.h"
#include "client_connection.h"
#include "protocol/server_frames.h"

namespace sanayicin {

namespace {
constexpr qsizetype kMaxWaitingReads = 1000; // conversations with a read waiting
constexpr qsizetype kReadsPerJob = 16;       // reads stored by one writer job (a few ms)
} // namespace

bool ClientConnection::handledBeforeOpen(const AuthFrame *auth)
{
    if (m_state == State::AwaitingAuth) {
        if (auth)
            beginAuth(auth->token);
        else
            sendError(ErrorCode::Unauthorized, QStringLiteral("send an auth frame first"));
        return true;
    }
    return m_state != State::Open;
}

void ClientConnection::handleFrame(const QByteArray &utf8)
{
    if (m_admin) {
        handleAdminFrame(utf8);
        return;
    }
    ClientFrame parsed = parseClientFrame(utf8);

    if (auto *error = std::get_if<FrameError>(&parsed)) {
        sendError(ErrorCode::BadRequest, error->message, error->hasRef ? &error->ref : nullptr);
        return;
    }
    if (handledBeforeOpen(std::get_if<AuthFrame>(&parsed)))
        return;

    // The first frame after hello ends the grace period unless it is a sync,
    // which holds live messages itself.
    if (m_hold == Hold::Grace && !std::holds_alternative<SyncFrame>(parsed))
        releaseHeld();

    if (auto *send = std::get_if<SendFrame>(&parsed))
        handleSend(*send);
    else if (auto *typing = std::get_if<TypingFrame>(&parsed))
        // The typing limit (per user and conversation) is decided first: a
        // frame past it is dropped before any look-up.
        deps().chat.messaging.typing(caller(), userId(), typing->conversationId, m_typingLookup);
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
    // The answer runs only while this connection is open (caller()), so
    // `this` is safe in it.
    deps().chat.messaging.send(
        caller(),
        {userId(), frame.conversationId, std::move(frame.clientMsgId), std::move(frame.body), m_id},
        [this](const chat::Outcome<chat::Messaging::Sent> &sent, const QString &clientMsgId) {
            if (sent.ok()) {
                const DeliveredMessage &m = *sent.value().message;
                sendFrame(frames::ack(m.message.clientMsgId, m.json));
                return;
            }
            const ApiError &e = sent.error();
            sendError(e.code, e.message, &clientMsgId, e.retryAfterMs);
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
    std::vector<chat::Messaging::ReadRequest> reads;
    for (auto it = m_reads.begin(); it != m_reads.end() && qsizetype(reads.size()) < kReadsPerJob;) {
        reads.push_back({it.key(), it.value()});
        it = m_reads.erase(it);
    }
    if (m_reads.isEmpty())
        m_reads.clear(); // frees the table: most connections read rarely
    const qsizetype taken = qsizetype(reads.size());
    m_readsRunning = deps().chat.messaging.markRead(
        caller(), userId(), std::move(reads),
        [this](const chat::Messaging::ReadResults &results) { readsStored(results); });
    if (m_readsRunning)
        return;
    // The writer's queue is full: these reads and any still waiting are not
    // stored, and the client hears so for each.
    const qsizetype refused = taken + m_reads.size();
    m_reads.clear();
    for (qsizetype i = 0; i < refused; ++i)
        sendError(ErrorCode::Unavailable, QStringLiteral("too busy to store the read; send it again"));
}

// The errors, if any: those of reads the user may not make first, then
// those the database failed.
void ClientConnection::readsStored(const chat::Messaging::ReadResults &results)
{
    for (const auto &r : results)
        if (r && r->code == ErrorCode::NotFound)
            sendError(ErrorCode::NotFound, QStringLiteral("no such message in that conversation"));
    for (const auto &r : results)
        if (r && r->code != ErrorCode::NotFound)
            sendError(ErrorCode::Unavailable, QStringLiteral("the read was not stored; send it again"));
    m_readsRunning = false;
    if (!m_reads.isEmpty() && m_state == State::Open)
        storeReads();
}

void ClientConnection::runSync(const SyncFrame &next)
{
    m_syncRunning = true;
    m_hold = Hold::Sync;
    deps().chat.reader.sync(
        caller(), userId(), next.afterId, next.limit,
        [this, next](chat::Outcome<chat::MessageReader::Page> page) {
            if (!page.ok()) {
                syncFailed();
                return;
            }
            // A sync page is written at once, so it stops at half the
            // outgoing limit in bytes (with has_more): a client that reads is
            // never closed for the page it asked for. The first message
            // always goes, whatever its size.
            qint64 lastSent = 0;
            qint64 budget = syncPageBytes();
            bool hasMore = page.value().hasMore;
            for (const chat::MessageReader::Item &m : page.value().items) {
                const QByteArray frame = frames::message(m.json);
                if (lastSent != 0 && frame.size() > budget) {
                    hasMore = true;
                    break;
                }
                budget -= frame.size();
                sendFrame(frame);
                lastSent = m.id;
            }
            finishSync(next, lastSent, hasMore);
        });
}

} // namespace sanayicin
