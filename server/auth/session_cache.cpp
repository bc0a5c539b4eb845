#include "session_cache.h"

namespace sanayicin {

quint64 SessionCache::ticket() const
{
    QMutexLocker lock(&m_mutex);
    return m_clock;
}

std::optional<AuthUser> SessionCache::find(const QByteArray &tokenHash, qint64 nowMs) const
{
    QMutexLocker lock(&m_mutex);
    auto it = m_entries.constFind(tokenHash);
    if (it == m_entries.constEnd() || nowMs - it->cachedAtMs > m_ttlMs
        || nowMs >= it->auth.expiresAtMs)
        return std::nullopt;
    return it->auth;
}

void SessionCache::put(const AuthUser &entry, quint64 ticket, qint64 nowMs)
{
    QMutexLocker lock(&m_mutex);
    if (ticket < m_clearedAtTicket || m_revokedTokens.value(entry.tokenHash).ticket >= ticket
        || m_revokedUsers.value(entry.user.id).ticket >= ticket)
        return;
    m_entries.insert(entry.tokenHash, Entry{entry, nowMs});
    if (nowMs - m_lastPruneMs > m_ttlMs)
        pruneLocked(nowMs);
}

bool SessionCache::revokedSince(const QByteArray &tokenHash, qint64 userId, quint64 ticket) const
{
    QMutexLocker lock(&m_mutex);
    return m_revokedTokens.value(tokenHash).ticket >= ticket
           || m_revokedUsers.value(userId).ticket >= ticket;
}

void SessionCache::revokeToken(const QByteArray &tokenHash, qint64 nowMs)
{
    QMutexLocker lock(&m_mutex);
    m_entries.remove(tokenHash);
    m_revokedTokens.insert(tokenHash, {m_clock++, nowMs});
    if (nowMs - m_lastPruneMs > m_ttlMs)
        pruneLocked(nowMs);
}

void SessionCache::revokeUser(qint64 userId, qint64 nowMs)
{
    QMutexLocker lock(&m_mutex);
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        if (it->auth.user.id == userId)
            it = m_entries.erase(it);
        else
            ++it;
    }
    m_revokedUsers.insert(userId, {m_clock++, nowMs});
}

void SessionCache::clear()
{
    QMutexLocker lock(&m_mutex);
    m_entries.clear();
    ++m_clock; // look-ups in flight must not refill it either
    m_clearedAtTicket = m_clock;
}

qsizetype SessionCache::size() const
{
    QMutexLocker lock(&m_mutex);
    return m_entries.size();
}

void SessionCache::pruneLocked(qint64 nowMs)
{
    m_lastPruneMs = nowMs;
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        if (nowMs - it->cachedAtMs > m_ttlMs)
            it = m_entries.erase(it);
        else
            ++it;
    }
    // A revocation only matters to look-ups in flight, which end within the
    // database timeout; ten minutes is far beyond it.
    constexpr qint64 kKeepRevocationsMs = 10 * 60 * 1000;
    for (auto it = m_revokedTokens.begin(); it != m_revokedTokens.end();)
        it = nowMs - it->atMs > kKeepRevocationsMs ? m_revokedTokens.erase(it) : std::next(it);
    for (auto it = m_revokedUsers.begin(); it != m_revokedUsers.end();)
        it = nowMs - it->atMs > kKeepRevocationsMs ? m_revokedUsers.erase(it) : std::next(it);
}

} // namespace sanayicin
