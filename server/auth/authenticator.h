#pragma once

#include "session_cache.h"

#include <QObject>
#include <functional>
#include <optional>

namespace sanayicin {

class DbPool;

// Turns a bearer token into a user: this instance's session cache first,
// else the database (on the read pool). The answer comes back on `context`'s
// thread. Never from Redis: what anyone with Redis access can write must not
// say who a user is or what role they have.
//
// An answer read before a revocation of that token or user (logout, ban) is
// refused when it arrives after it: a WebSocket or request whose look-up was
// in flight when a ban's close order went out does not get through.
class Authenticator
{
public:
    enum class Outcome { Valid, Invalid, Unavailable };
    using Done = std::function<void(Outcome, const AuthUser &)>;

    Authenticator(SessionCache &cache, DbPool &readers) : m_cache(cache), m_readers(readers) {}

    // `done` runs on `context`'s thread if `context` still lives then:
    // right away on a cache hit, else through that thread's mailbox (the
    // read pool never touches `context`). Called from another thread, the
    // call is queued to `context`'s thread first.
    void authenticate(QObject *context, const QString &token, Done done);

private:
    SessionCache &m_cache;
    DbPool &m_readers;

    void fromDatabase(QObject *context, const QByteArray &hash, Done done);
};

} // namespace sanayicin
