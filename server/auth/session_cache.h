#pragma once

#include "protocol/auth_user.h"

#include <QByteArray>
#include <QHash>
#include <QMutex>
#include <optional>

namespace sanayicin {

// Tokens seen recently, so that most requests need no database round trip.
// Revocation (logout, ban) removes entries at once, and a look-up that
// started before a revocation cannot put its stale answer back. Thread-safe.
class SessionCache
{
public:
    explicit SessionCache(qint64 ttlMs = 60000) : m_ttlMs(ttlMs) {}

    // A ticket taken before a database look-up; put() refuses the answer if a
    // revocation happened since.
    quint64 ticket() const;
    std::optional<AuthUser> find(const QByteArray &tokenHash, qint64 nowMs) const;
    void put(const AuthUser &entry, quint64 ticket, qint64 nowMs);
    // Whether the token or its user was revoked after `ticket` was taken.
    bool revokedSince(const QByteArray &tokenHash, qint64 userId, quint64 ticket) const;
    void revokeToken(const QByteArray &tokenHash, qint64 nowMs);
    void revokeUser(qint64 userId, qint64 nowMs);
    qsizetype size() const;
    // Forgets every entry (revocations may have been missed).
    void clear();

private:
    struct Entry
    {
        AuthUser auth;
        qint64 cachedAtMs = 0;
    };
    void pruneLocked(qint64 nowMs);

    qint64 m_ttlMs;
    mutable QMutex m_mutex;
    QHash<QByteArray, Entry> m_entries;
    struct Revocation
    {
        quint64 ticket = 0;
        qint64 atMs = 0;
    };
    QHash<QByteArray, Revocation> m_revokedTokens;
    QHash<qint64, Revocation> m_revokedUsers;
    quint64 m_clock = 1;
    quint64 m_clearedAtTicket = 0;
    qint64 m_lastPruneMs = 0;
};

} // namespace sanayicin
