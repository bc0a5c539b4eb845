#pragma once

#include "caller.h"
#include "chat_deps.h"
#include "outcome.h"
#include "protocol/delivered_message.h"

#include <QString>
#include <functional>
#include <memory>
#include <vector>

namespace sanayicin::chat {

// Messages as both transports use them: send, mark read, typing. Call on a
// network thread; answers come back on it (common/threading/mailbox.h).
class Messaging
{
public:
    explicit Messaging(ChatDeps &deps) : m_deps(deps) {}

    struct SendRequest
    {
        qint64 userId = 0;
        qint64 conversationId = 0;
        QString clientMsgId;
        QString body;
        qint64 originConnection = 0; // the WebSocket that sent it (it gets the ack); 0 for HTTP
    };
    struct Sent
    {
        std::shared_ptr<const DeliveredMessage> message;
        bool duplicate = false; // the message stored before under this client_msg_id
    };
    // With the request's client_msg_id (a WebSocket names the send by it).
    using SendDone = std::function<void(const Outcome<Sent> &, const QString &clientMsgId)>;

    // The sender's budget, then the writer's group commit. `done` runs after
    // COMMIT (or the failed transaction), from the writer's result.
    void send(const Caller &caller, SendRequest request, SendDone done);

    struct ReadRequest
    {
        qint64 conversationId = 0;
        qint64 messageId = 0;
    };
    // One per request, in order: nothing (stored, or the cursor was already
    // there), or why not.
    using ReadResults = std::vector<std::optional<ApiError>>;
    using ReadDone = std::function<void(const ReadResults &)>;

    // Moves the user's read cursors, as one writer job (cursor updates
    // belong to the writer), and tells the peers. False, with nothing
    // queued, when the writer's job queue is full.
    [[nodiscard]] bool markRead(const Caller &caller, qint64 userId,
                                std::vector<ReadRequest> reads, ReadDone done);

    // Runs on the caller's side while a membership look-up for typing is
    // under way: one at a time per caller (typing is never stored, and a
    // conversation that does not exist is never cached).
    struct TypingLookup
    {
        bool running = false;
    };
    // The typing budget first (a frame past it costs nothing more), then
    // membership; tells the peer. Never answers: typing is best effort.
    // `lookup` belongs to the caller and is touched on its thread only.
    void typing(const Caller &caller, qint64 userId, qint64 conversationId, TypingLookup &lookup);

    // The user's newest message id, for hello: batched with every other
    // connection's (storage/batched_lookup.h). `done` runs while
    // caller.object exists (it checks its own state).
    void newestMessageId(const Caller &caller, qint64 userId,
                         std::function<void(bool ok, qint64 id)> done);

private:
    void submit(const Caller &caller, SendRequest request, SendDone done);
    void relayTyping(const Caller &caller, qint64 userId, qint64 conversationId,
                     TypingLookup &lookup);

    ChatDeps &m_deps;
};

} // namespace sanayicin::chat
