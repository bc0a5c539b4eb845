#include "authenticator.h"

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
            if (!user) {
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
