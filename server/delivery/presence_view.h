#pragma once

#include <QHash>
#include <QList>
#include <QReadWriteLock>
#include <QSet>

namespace sanayicin {

// Who is online on any instance, as this instance knows it from Redis: a
// snapshot taken when the bridge connects, then kept up to date by presence
// events. Each change carries a per-user version from Redis, so events that
// arrive out of order cannot undo a newer one. Thread-safe.
class PresenceView
{
public:
    bool contains(qint64 userId) const;
    // Applies the change unless an equal or newer version was applied.
    bool apply(qint64 userId, bool online, qint64 version, qint64 nowMs);
    // A full snapshot: who is online now (versions seen are kept).
    void reset(const QList<qint64> &online);
    qsizetype size() const;

private:
    struct Seen
    {
        qint64 version = 0;
        qint64 atMs = 0;
    };
    mutable QReadWriteLock m_lock;
    QSet<qint64> m_online;
    QHash<qint64, Seen> m_versions;
    qint64 m_lastPruneMs = 0;
};

} // namespace sanayicin
