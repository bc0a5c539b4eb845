#include "authenticator.h"

#include "logging/log.h"
#include "storage/account_store.h"
#include "storage/db_pool.h"
#include "threading/reply_to.h"
#include "time/clock.h"
#include "tokens.h"

namespace sanayicin {

void Authenticator::authenticate(QObject *context, const QString &token, Done done)
{
    if (askedElsewhere(context)) {
        QMetaObject::invokeMethod(
            context,
            [this, context, token, done = std::move(done)]() mutable {
                authenticate(context, token, std::move(done));
            },
            Qt::QueuedConnection);
        return;
    }
    if (token.isEmpty()) {
        done(Outcome::Invalid, {});
        return;
    }
    const QByteArray hash = hashToken(token);
    if (auto hit = m_cache.find(hash, nowMs())) {
        done(Outcome::Valid, *hit);
        return;
    }
    fromDatabase(context, hash, std::move(done));
}

void Authenticator::fromDatabase(QObject *context, const QByteArray &hash, Done done)
{
    // Taken before the read: a revocation after it makes the answer stale.
    const quint64 ticket = m_cache.ticket();
    SessionCache &cache = m_cache;
    m_readers.run<std::optional<AuthUser>>(
        context,
        [hash](Db &db) -> std::optional<AuthUser> {
            auto s = store::sessionUser(db, hash);
            if (!s || s->banned || s->expiresAtMs <= nowMs())
                return std::nullopt;
            return AuthUser{s->user, hash, s->expiresAtMs};
        },
        [done, ticket, &cache](std::optional<AuthUser> user) {
            // Checked here, on the caller's thread, at the moment the answer
            // is used: a close order for this user or token that went out
            // while the read ran has been (or will be) handled on this thread
            // after the revocation was recorded, so either it finds this
            // connection registered or this check refuses it.
            if (!user || cache.revokedSince(user->tokenHash, user->user.id, ticket)) {
                done(Outcome::Invalid, {});
                return;
            }
            cache.put(*user, ticket, nowMs());
            done(Outcome::Valid, *user);
        },
        [done](const DbError &e) {
            qCWarning(lcAuth).noquote() << "token look-up failed:" << e.what();
            done(Outcome::Unavailable, {});
        });
}

} // namespace sanayicin
