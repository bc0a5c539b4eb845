#pragma once

#include "session_cache.h"

#include <QObject>
#include <functional>
#include <optional>

namespace sanayicin {

class DbPool;

// Turns a bearer token into a user: the session cache first, else the
// database (on the read pool). The answer comes back on `context`'s thread.
class Authenticator
{
public:
    enum class Outcome { Valid, Invalid, Unavailable };
    using Done = std::function<void(Outcome, const AuthUser &)>;

    Authenticator(SessionCache &cache, DbPool &readers) : m_cache(cache), m_readers(readers) {}

    void authenticate(QObject *context, const QString &token, Done done);

private:
    SessionCache &m_cache;
    DbPool &m_readers;
};

} // namespace sanayicin
