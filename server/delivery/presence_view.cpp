#include "presence_view.h"

namespace sanayicin {

namespace {
// Versions only protect against reordering inside pub/sub, which is far
// shorter than this.
constexpr qint64 kKeepVersionsMs = 10 * 60 * 1000;
} // namespace

bool PresenceView::contains(qint64 userId) const
{
    QReadLocker lock(&m_lock);
    return m_online.contains(userId);
}

bool PresenceView::apply(qint64 userId, bool online, qint64 version, qint64 nowMs)
{
    QWriteLocker lock(&m_lock);
    Seen &seen = m_versions[userId];
    if (version <= seen.version)
        return false;
    seen = {version, nowMs};
    if (online)
        m_online.insert(userId);
    else
        m_online.remove(userId);
    if (nowMs - m_lastPruneMs > kKeepVersionsMs) {
        m_lastPruneMs = nowMs;
        for (auto it = m_versions.begin(); it != m_versions.end();)
            it = nowMs - it->atMs > kKeepVersionsMs ? m_versions.erase(it) : std::next(it);
    }
    return true;
}

void PresenceView::reset(const QList<qint64> &online)
{
    QWriteLocker lock(&m_lock);
    m_online = QSet<qint64>(online.cbegin(), online.cend());
}

qsizetype PresenceView::size() const
{
    QReadLocker lock(&m_lock);
    return m_online.size();
}

} // namespace sanayicin
