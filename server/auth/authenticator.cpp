#include "authenticator.h"

#include "bridge/shared_state.h"
#include "logging/log.h"
#include "storage/account_store.h"
#include "storage/db_pool.h"
#include "time/clock.h"
#include "tokens.h"

namespace sanayicin {

void Authenticator::authenticate(QObject *context, const QString &token, Done done)
{
    if (token.isEmpty()) {
        done(Outcome::Invalid, {});
        return;
    }
    const QByteArray hash = hashToken(token);
    if (auto hit = m_cache.find(hash, nowMs())) {
        done(Outcome::Valid, *hit);
        return;
    }
    if (!m_shared || !m_sharedUp || !m_sharedUp()) {
        fromDatabase(context, hash, -1, std::move(done));
        return;
    }
    const quint64 ticket = m_cache.ticket();
    SessionCache &cache = m_cache;
    m_shared->lookupSession(context, hash,
                            [this, context, hash, done, ticket, &cache](std::optional<AuthUser> cached,
                                                                        qint64 epoch) {
                                if (cached) {
                                    cache.put(*cached, ticket, nowMs());
                                    done(Outcome::Valid, *cached);
                                    return;
                                }
                                fromDatabase(context, hash, epoch, done);
                            });
}

void Authenticator::fromDatabase(QObject *context, const QByteArray &hash, qint64 epoch, Done done)
{
    const quint64 ticket = m_cache.ticket();
    SessionCache &cache = m_cache;
    SharedState *shared = m_shared;
    m_readers.run<std::optional<AuthUser>>(
        context,
        [hash](Db &db) -> std::optional<AuthUser> {
            auto s = store::sessionUser(db, hash);
            if (!s || s->banned || s->expiresAtMs <= nowMs())
                return std::nullopt;
            return AuthUser{s->user, hash, s->expiresAtMs};
        },
        [done, ticket, epoch, shared, &cache](std::optional<AuthUser> user) {
            if (!user) {
                done(Outcome::Invalid, {});
                return;
            }
            cache.put(*user, ticket, nowMs());
            if (shared)
                shared->storeSession(*user, epoch);
            done(Outcome::Valid, *user);
        },
        [done](const DbError &e) {
            qCWarning(lcAuth).noquote() << "token look-up failed:" << e.what();
            done(Outcome::Unavailable, {});
        });
}

} // namespace sanayicin
