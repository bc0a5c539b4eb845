#pragma once

#include <QObject>
#include <QTimer>

namespace sanayicin {

class DbPool;
class LocalHub;
class SessionCache;

// Defense in depth behind revocation broadcasts: now and then, the tokens of
// this instance's open WebSockets are read again from the database, and a
// connection whose token no longer works (revoked, outdated by a ban,
// expired) is closed (4003 if its user is banned, else 4001) and the token
// dropped from the session cache. It catches what a lost Redis broadcast
// would leave open. Lives on the main thread. In delivery/ because it
// closes connections (LocalHub) on what storage and auth say.
class SessionAudit : public QObject
{
    Q_OBJECT
public:
    SessionAudit(LocalHub &local, SessionCache &sessions, DbPool &readers, int intervalSeconds,
                 QObject *parent = nullptr);

    // One pass now (the timer calls it too).
    void runOnce();

private:
    LocalHub &m_local;
    SessionCache &m_sessions;
    DbPool &m_readers;
    QTimer m_timer;
    bool m_running = false;
};

} // namespace sanayicin
