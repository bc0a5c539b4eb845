#include "conversations.h"

#include "db_outcome.h"
#include "delivery/hub.h"
#include "limits/rate_gate.h"
#include "metrics/metrics.h"
#include "storage/account_store.h"
#include "storage/conversation_store.h"
#include "storage/membership_cache.h"
#include "storage/user_cache.h"
#include "time/clock.h"

namespace sanayicin::chat {

namespace {

// A peer who does not see the conversation yet shares no presence.
void markOnline(Conversation &c, const Hub &hub)
{
    for (Participant &p : c.participants)
        p.online = !p.hidden && hub.isOnline(p.user.id);
}

ApiError noSuchUser()
{
    return ApiError::notFound(QStringLiteral("no such user"));
}

} // namespace

void Conversations::open(const Caller &caller, const User &user, qint64 peer, OpenDone done)
{
    const qint64 me = user.id;
    if (peer == me) {
        done(ApiError::badRequest(QStringLiteral("a conversation needs another user")));
        return;
    }
    if (user.role == Role::Admin) {
        done(ApiError::forbidden(QStringLiteral("administrators do not take part in conversations")));
        return;
    }
    // Every ask counts, found or not: probing ids costs the same budget.
    m_deps.rates.take(
        caller.home, "conv:u:" + QByteArray::number(me), m_deps.settings.conversationRule,
        [this, caller, ref = CallerRef(caller), me, peer, done](RateDecision d) {
            if (!ref.live())
                return;
            if (!d.allowed) {
                m_deps.rateLimited.inc();
                done(ApiError{ErrorCode::RateLimited,
                              QStringLiteral("too many new conversations; wait a little"),
                              int(d.retryAfterMs)});
                return;
            }
            Hub &hub = m_deps.hub;
            MembershipCache &members = m_deps.members;
            UserCache &users = m_deps.users;
            readOutcome<Opened>(
                m_deps.readers, caller, "open conversation",
                [me, peer, &hub, &members, &users](Db &db) -> Outcome<Opened> {
                    // Administrators are nobody's peer: the same 404 as for
                    // an id that does not exist, so that the answer does not
                    // tell them apart. A banned user cannot be contacted anew
                    // (the directory hides them).
                    const auto record = store::userById(db, peer);
                    if (!record || record->user.role == Role::Admin)
                        return noSuchUser();
                    if (record->banned && !store::findConversation(db, me, peer))
                        return noSuchUser();
                    const auto opened = store::openConversation(db, me, peer, nowMs());
                    members.insert(opened.id, {std::min(me, peer), std::max(me, peer)});
                    // Opening may make the two share presence (both opened it).
                    if (opened.opened)
                        hub.peersChanged(me, peer);
                    auto c = store::conversationFor(db, users, opened.id, me);
                    if (!c)
                        return ApiError::internal();
                    markOnline(*c, hub);
                    return Opened{std::move(*c), opened.created};
                },
                done);
        });
}

void Conversations::list(const Caller &caller, qint64 me, qint64 limit, qint64 offset, PageDone done)
{
    Hub &hub = m_deps.hub;
    UserCache &users = m_deps.users;
    readOutcome<Page>(
        m_deps.readers, caller, "list conversations",
        [me, limit, offset, &hub, &users](Db &db) -> Outcome<Page> {
            store::ConversationPage stored = store::listConversations(db, users, me, limit, offset);
            Page page{std::move(stored.items), stored.total};
            for (Conversation &c : page.items)
                markOnline(c, hub);
            return page;
        },
        std::move(done));
}

void Conversations::get(const Caller &caller, qint64 me, qint64 id, OneDone done)
{
    Hub &hub = m_deps.hub;
    UserCache &users = m_deps.users;
    readOutcome<Conversation>(
        m_deps.readers, caller, "get conversation",
        [me, id, &hub, &users](Db &db) -> Outcome<Conversation> {
            auto c = store::conversationFor(db, users, id, me);
            if (!c) // also when it exists but is not theirs: never 403
                return ApiError::notFound(QStringLiteral("no such conversation"));
            markOnline(*c, hub);
            return std::move(*c);
        },
        std::move(done));
}

} // namespace sanayicin::chat
