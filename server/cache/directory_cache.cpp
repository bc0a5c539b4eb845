#include "directory_cache.h"

#include "bridge/bridge.h"
#include "json/json_writer.h"
#include "threading/reply_to.h"
#include "time/clock.h"

#include <QCryptographicHash>
#include <QMetaObject>
#include <hiredis/hiredis.h>

namespace sanayicin {

namespace {
constexpr int kRedisTtlSeconds = 30;
} // namespace

QByteArray DirectoryPageCache::encode() const
{
    // One line per item; compact JSON never holds a raw newline or tab.
    QByteArray out = QByteArray::number(total);
    for (const auto &[id, json] : items)
        out += '\n' + QByteArray::number(id) + '\t' + json;
    return out;
}

std::optional<DirectoryPageCache> DirectoryPageCache::decode(const QByteArray &data)
{
    const QList<QByteArray> lines = data.split('\n');
    if (lines.isEmpty())
        return std::nullopt;
    DirectoryPageCache page;
    bool ok = false;
    page.total = lines.first().toLongLong(&ok);
    if (!ok)
        return std::nullopt;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype tab = lines[i].indexOf('\t');
        if (tab <= 0)
            return std::nullopt;
        page.items.push_back({lines[i].left(tab).toLongLong(), lines[i].mid(tab + 1)});
    }
    return page;
}

DirectoryPageCache DirectoryPageCache::from(const QList<Profile> &profiles, qint64 total)
{
    DirectoryPageCache page;
    page.total = total;
    for (const Profile &p : profiles) {
        QByteArray json = profileJson(p);
        // Cut ',"online":false}' (always last) off.
        json.truncate(json.lastIndexOf(",\"online\":"));
        page.items.push_back({p.userId, json});
    }
    return page;
}

QByteArray DirectoryPageCache::render(const std::function<bool(qint64)> &isOnline) const
{
    QByteArray out = "{\"items\":[";
    bool first = true;
    for (const auto &[id, json] : items) {
        if (!first)
            out += ',';
        first = false;
        out += json;
        out += isOnline(id) ? ",\"online\":true}" : ",\"online\":false}";
    }
    out += "],\"total\":" + QByteArray::number(total) + '}';
    return out;
}

QByteArray DirectoryCache::keyFor(const QString &category, const QString &city, const QString &text,
                                  qint64 limit, qint64 offset)
{
    QByteArray raw;
    JsonWriter w(raw);
    w.beginArray().value(category).value(city).value(text).value(limit).value(offset).endArray();
    return QCryptographicHash::hash(raw, QCryptographicHash::Sha1).toHex();
}

void DirectoryCache::get(QObject *home, const QByteArray &key, Found done)
{
    if (askedElsewhere(home)) {
        QMetaObject::invokeMethod(
            home,
            [this, home, key, done = std::move(done)]() mutable { getHere(home, key, std::move(done)); },
            Qt::QueuedConnection);
        return;
    }
    getHere(home, key, std::move(done));
}

void DirectoryCache::invalidate(QObject *home, std::function<void()> done)
{
    if (askedElsewhere(home)) {
        QMetaObject::invokeMethod(
            home, [this, home, done = std::move(done)]() mutable { invalidateHere(home, std::move(done)); },
            Qt::QueuedConnection);
        return;
    }
    invalidateHere(home, std::move(done));
}

// ---- in this process ---------------------------------------------------------

void LocalDirectoryCache::getHere(QObject *, const QByteArray &key, Found done)
{
    std::optional<DirectoryPageCache> page;
    QByteArray version;
    {
        QMutexLocker lock(&m_mutex);
        version = QByteArray::number(m_version);
        auto it = m_entries.constFind(key);
        if (it != m_entries.constEnd() && nowMs() - it->storedAtMs <= m_ttlMs)
            page = it->page;
    }
    done(page, version);
}

void LocalDirectoryCache::put(const QByteArray &key, const QByteArray &version,
                              const DirectoryPageCache &page)
{
    QMutexLocker lock(&m_mutex);
    if (version != QByteArray::number(m_version))
        return; // something changed while the page was read
    if (m_entries.size() >= m_max)
        m_entries.clear();
    m_entries.insert(key, {page, nowMs()});
}

void LocalDirectoryCache::invalidateHere(QObject *, std::function<void()> done)
{
    {
        QMutexLocker lock(&m_mutex);
        ++m_version;
        m_entries.clear();
    }
    if (done)
        done();
}

// ---- in Redis -------------------------------------------------------------------

RedisDirectoryCache::RedisDirectoryCache(Bridge &bridge, QObject *parent)
    : QObject(parent), m_bridge(bridge)
{}

void RedisDirectoryCache::getHere(QObject *home, const QByteArray &key, Found done)
{
    QMetaObject::invokeMethod(
        this,
        [this, reply = ReplyTo(home), key, done = std::move(done)]() mutable {
            auto answer = [reply, done](redisReply *r) {
                std::optional<DirectoryPageCache> page;
                QByteArray version; // empty: do not store (Redis is away)
                if (r && r->type == REDIS_REPLY_ARRAY && r->elements == 2) {
                    if (r->element[0]->type == REDIS_REPLY_STRING)
                        page = DirectoryPageCache::decode(
                            QByteArray(r->element[0]->str, qsizetype(r->element[0]->len)));
                    if (r->element[1]->type == REDIS_REPLY_STRING)
                        version = QByteArray(r->element[1]->str, qsizetype(r->element[1]->len));
                }
                reply.post([done, page, version] { done(page, version); });
            };
            if (!m_bridge.scripts().run(QStringLiteral("directory_get"), {key}, answer))
                answer(nullptr);
        },
        Qt::QueuedConnection);
}

void RedisDirectoryCache::put(const QByteArray &key, const QByteArray &version,
                              const DirectoryPageCache &page)
{
    if (version.isEmpty())
        return;
    const QByteArray data = page.encode();
    QMetaObject::invokeMethod(
        this,
        [this, key, version, data] {
            m_bridge.scripts().run(QStringLiteral("directory_put"),
                                   {key, version, data, QByteArray::number(kRedisTtlSeconds)}, {});
        },
        Qt::QueuedConnection);
}

void RedisDirectoryCache::invalidateHere(QObject *home, std::function<void()> done)
{
    QMetaObject::invokeMethod(
        this,
        [this, reply = ReplyTo(home), done = std::move(done)] {
            auto answer = [reply, done](redisReply *) {
                // Also when Redis is away: entries then expire within their
                // short lifetime.
                if (done)
                    reply.post(done);
            };
            if (!m_bridge.commands().command({"INCR", "sanayicin:dir:version"}, answer))
                answer(nullptr);
        },
        Qt::QueuedConnection);
}

} // namespace sanayicin
