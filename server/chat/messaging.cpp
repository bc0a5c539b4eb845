#include "messaging.h"

#include "db_outcome.h"
#include "delivery/hub.h"
#include "limits/rate_gate.h"
#include "metrics/metrics.h"
#include "protocol/server_frames.h"
#include "storage/batched_lookup.h"
#include "storage/membership_cache.h"
#include "storage/message_store.h"
#include "storage/message_writer.h"
#include "threading/mailbox.h"
#include "time/clock.h"

namespace sanayicin::chat {

namespace {

Outcome<Messaging::Sent> sendOutcome(const SendResult &result)
{
    switch (result.status) {
    case SendResult::Status::Stored:
        return Messaging::Sent{result.message, false};
    case SendResult::Status::Duplicate:
        return Messaging::Sent{result.message, true};
    case SendResult::Status::NotFound:
        return ApiError::notFound(QStringLiteral("no such conversation"));
    case SendResult::Status::Failed:
        break;
    case SendResult::Status::Unknown:
        // Not `unavailable`, which promises "not stored": a 500 says the
        // outcome is unknown; a resend of the same client_msg_id tells.
        return ApiError{ErrorCode::Internal,
                        QStringLiteral("the database did not confirm whether the message was "
                                       "stored; send it again with the same client_msg_id")};
    }
    return ApiError::unavailable(QStringLiteral("the message was not stored; send it again"));
}

} // namespace

void Messaging::send(const Caller &caller, SendRequest request, SendDone done)
{
    m_deps.messagesReceived.inc();
    m_deps.rates.take(caller.home, "send:" + QByteArray::number(request.userId),
                      m_deps.settings.sendRule,
                      [this, caller, ref = CallerRef(caller), request = std::move(request),
                       done = std::move(done)](RateDecision d) mutable {
                          if (!ref.live())
                              return;
                          if (!d.allowed) {
                              m_deps.rateLimited.inc();
                              done(ApiError{ErrorCode::RateLimited,
                                            QStringLiteral("too many messages; slow down"),
                                            int(d.retryAfterMs)},
                                   request.clientMsgId);
                              return;
                          }
                          submit(caller, std::move(request), std::move(done));
                      });
}

void Messaging::submit(const Caller &caller, SendRequest request, SendDone done)
{
    SendCommand cmd;
    const QString clientMsgId = request.clientMsgId; // shared, not copied
    cmd.send = {request.userId, request.conversationId, std::move(request.clientMsgId),
                std::move(request.body)};
    cmd.originConnection = request.originConnection;
    cmd.receivedNs = steadyNs();
    // Called once, on the writer thread after COMMIT: one hop back.
    cmd.reply = [home = Mailbox::here(), ref = CallerRef(caller), clientMsgId,
                 done = std::move(done)](const SendResult &result) mutable {
        home->post([ref = std::move(ref), clientMsgId = std::move(clientMsgId),
                    done = std::move(done), result] {
            if (ref.live())
                done(sendOutcome(result), clientMsgId);
        });
    };
    m_deps.writer.submit(std::move(cmd));
}

bool Messaging::markRead(const Caller &caller, qint64 userId, std::vector<ReadRequest> reads,
                         ReadDone done)
{
    MembershipCache &cache = m_deps.members;
    Hub &hub = m_deps.hub;
    return m_deps.writer.post([home = Mailbox::here(), ref = CallerRef(caller), &cache, &hub,
                               userId, reads = std::move(reads),
                               done = std::move(done)](Db &db) mutable {
        ReadResults results;
        results.reserve(reads.size());
        for (const ReadRequest &r : reads) {
            try {
                const auto members = cache.load(db, r.conversationId);
                const auto message = store::messageById(db, r.messageId);
                if (!members || !members->contains(userId)) {
                    results.push_back(ApiError::notFound(QStringLiteral("no such conversation")));
                    continue;
                }
                if (!message || message->conversationId != r.conversationId) {
                    results.push_back(ApiError::notFound(
                        QStringLiteral("no such message in that conversation")));
                    continue;
                }
                if (store::advanceReadCursor(db, r.conversationId, userId, message->id, message->seq))
                    hub.sendToUsers({members->peerOf(userId)},
                                    frames::read(r.conversationId, userId, message->id));
                results.push_back(std::nullopt);
            } catch (const DbError &e) {
                results.push_back(databaseError(e, "read cursor"));
            }
        }
        home->post([ref = std::move(ref), done = std::move(done), results = std::move(results)] {
            if (ref.live())
                done(results);
        });
    });
}

void Messaging::newestMessageId(const Caller &caller, qint64 userId,
                                std::function<void(bool ok, qint64 id)> done)
{
    m_deps.hellos.lookup(caller.object, userId, std::move(done));
}

void Messaging::typing(const Caller &caller, qint64 userId, qint64 conversationId,
                       TypingLookup &lookup)
{
    m_deps.rates.take(caller.home,
                      "typing:" + QByteArray::number(userId) + ':' + QByteArray::number(conversationId),
                      m_deps.settings.typingRule,
                      [this, caller, ref = CallerRef(caller), userId, conversationId,
                       &lookup](RateDecision d) {
                          // `lookup` lives in the caller: touched only once it is known alive.
                          if (d.allowed && ref.live())
                              relayTyping(caller, userId, conversationId, lookup);
                      });
}

void Messaging::relayTyping(const Caller &caller, qint64 userId, qint64 conv, TypingLookup &lookup)
{
    Hub &hub = m_deps.hub;
    if (auto m = m_deps.members.find(conv)) {
        if (m->contains(userId)) // not theirs: silently nothing, as for any dropped typing
            hub.sendToUsers({m->peerOf(userId)}, frames::typing(conv, userId));
        return;
    }
    if (lookup.running)
        return;
    lookup.running = true;
    MembershipCache &cache = m_deps.members;
    // DbPool::run answers only while caller.object exists, so `lookup` is
    // safe to touch in the answer.
    m_deps.readers.run<std::optional<store::Members>>(
        caller.object, [&cache, conv](Db &db) { return cache.load(db, conv); },
        [ref = CallerRef(caller), &hub, &lookup, userId, conv](std::optional<store::Members> m) {
            lookup.running = false;
            if (m && m->contains(userId) && ref.live())
                hub.sendToUsers({m->peerOf(userId)}, frames::typing(conv, userId));
        },
        [&lookup](const DbError &) { lookup.running = false; });
}

} // namespace sanayicin::chat
