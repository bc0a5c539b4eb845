#pragma once

#include "protocol/objects.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMutex>
#include <QObject>
#include <atomic>
#include <functional>
#include <optional>

namespace sanayicin {

class Bridge;

// A directory page as cached: everything but the "online" flags, which change
// too often to cache and are added when the page is served.
struct DirectoryPageCache
{
    qint64 total = 0;
    QList<std::pair<qint64, QByteArray>> items; // user id, profile JSON without "online" and "}"

    QByteArray encode() const;
    static std::optional<DirectoryPageCache> decode(const QByteArray &data);
    static DirectoryPageCache from(const QList<Profile> &profiles, qint64 total);
    // {"items":[...],"total":N} with each profile's current online flag.
    QByteArray render(const std::function<bool(qint64)> &isOnline) const;
};

// Directory queries, cached for a short while. Any change that can alter a
// listing (a profile saved, a tradesman registered, a ban or unban) moves a
// version number, and entries of older versions are never read again.
class DirectoryCache
{
public:
    // version: what to hand back to put(); a miss has no page.
    using Found = std::function<void(std::optional<DirectoryPageCache>, QByteArray version)>;

    virtual ~DirectoryCache() = default;
    // `done` runs on `home`'s thread if `home` still lives then (right away
    // when in this process, else through that thread's mailbox). Called
    // from another thread, the call is queued to `home`'s thread first.
    void get(QObject *home, const QByteArray &key, Found done);
    virtual void put(const QByteArray &key, const QByteArray &version, const DirectoryPageCache &page) = 0;
    // `done` runs on `home`'s thread, as for get(), once the change is
    // visible to readers.
    void invalidate(QObject *home, std::function<void()> done);

    // A stable key for a query's folded parameters.
    static QByteArray keyFor(const QString &category, const QString &city, const QString &text,
                             qint64 limit, qint64 offset);

protected:
    // The same, called on `home`'s thread.
    virtual void getHere(QObject *home, const QByteArray &key, Found done) = 0;
    virtual void invalidateHere(QObject *home, std::function<void()> done) = 0;
};

class LocalDirectoryCache final : public DirectoryCache
{
public:
    explicit LocalDirectoryCache(qint64 ttlMs = 30000, qsizetype maxEntries = 5000)
        : m_ttlMs(ttlMs), m_max(maxEntries)
    {}

    void put(const QByteArray &key, const QByteArray &version, const DirectoryPageCache &page) override;

private:
    void getHere(QObject *home, const QByteArray &key, Found done) override;
    void invalidateHere(QObject *home, std::function<void()> done) override;

    struct Entry
    {
        DirectoryPageCache page;
        qint64 storedAtMs = 0;
    };
    qint64 m_ttlMs;
    qsizetype m_max;
    QMutex m_mutex;
    qint64 m_version = 0;
    QHash<QByteArray, Entry> m_entries;
};

// With Redis: shared by the instances; lives on the delivery thread.
class RedisDirectoryCache final : public QObject, public DirectoryCache
{
    Q_OBJECT
public:
    RedisDirectoryCache(Bridge &bridge, QObject *parent);

    void put(const QByteArray &key, const QByteArray &version, const DirectoryPageCache &page) override;

private:
    // Answers go through the asking thread's mailbox: the delivery thread
    // never touches `home`.
    void getHere(QObject *home, const QByteArray &key, Found done) override;
    void invalidateHere(QObject *home, std::function<void()> done) override;

    Bridge &m_bridge;
};

} // namespace sanayicin
