#pragma once

#include "session_cache.h"

#include <QObject>
#include <functional>
#include <optional>

namespace sanayicin {

class DbPool;
class SharedState;

// Turns a bearer token into a user: the session cache first, else the
// database (on the read pool). The answer comes back on `context`'s thread.
class Authenticator
{
public:
    enum class Outcome { Valid, Invalid, Unavailable };
    using Done = std::function<void(Outcome, const AuthUser &)>;

    Authenticator(SessionCache &cache, DbPool &readers) : m_cache(cache), m_readers(readers) {}

    // With Redis: a second cache level shared by the instances.
    void setShared(SharedState *shared, std::function<bool()> up)
    {
        m_shared = shared;
        m_sharedUp = std::move(up);
    }

    // `context` is a long-lived object of the caller's thread.
    void authenticate(QObject *context, const QString &token, Done done);

private:
    SessionCache &m_cache;
    DbPool &m_readers;
    SharedState *m_shared = nullptr;
    std::function<bool()> m_sharedUp;

    void fromDatabase(QObject *context, const QByteArray &hash, qint64 epoch, Done done);
};

} // namespace sanayicin
