#include "admin_feed.h"

#include "bridge/bridge.h"
#include "json/json_writer.h"
#include "logging/log.h"
#include "metrics/metrics.h"
#include "metrics/stats_history.h"
#include "time/clock.h"
#include "time/rfc3339.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>

namespace sanayicin {

namespace {

// The members of a frame after "type" and "seq" (no braces).
QByteArray membersOf(const std::function<void(JsonWriter &)> &write)
{
    QByteArray out;
    JsonWriter w(out);
    w.beginObject();
    write(w);
    w.endObject();
    return out.mid(1, out.size() - 2);
}

} // namespace

AdminFeed::AdminFeed(Bridge *bridge, QString instanceId, QObject *parent)
    : QObject(parent), m_bridge(bridge), m_instanceId(std::move(instanceId))
{
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &AdminFeed::tick);
    m_timer.start();
    if (m_bridge) {
        connect(m_bridge, &Bridge::adminBroadcastReceived, this, &AdminFeed::onBroadcast);
        // Whatever was published while Redis was away is lost: the consoles
        // reload their connection lists.
        connect(m_bridge, &Bridge::reconnected, this, [this] { m_pendingReset = true; });
    }
}

AdminFeed::~AdminFeed() = default;

void AdminFeed::configure(Config config)
{
    QMutexLocker lock(&m_mutex);
    m_cap.store(config.connectionsCap, std::memory_order_relaxed);
    m_config = std::move(config);
}

bool AdminFeed::active() const
{
    QMutexLocker lock(&m_mutex);
    return activeLocked(nowMs());
}

void AdminFeed::stop()
{
    m_timer.stop();
    if (m_bridge)
        disconnect(m_bridge, nullptr, this, nullptr);
    m_bridge = nullptr;
}

int AdminFeed::watchers() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_watchers.size());
}

bool AdminFeed::activeLocked(qint64 now) const
{
    return !m_watchers.isEmpty() || now < m_lingerUntilMs;
}

AdminFeed::Opening AdminFeed::attach(const QString &stream, std::optional<qint64> after,
                                     QObject *connection,
                                     std::function<void(const QByteArray &)> sink)
{
    Opening o;
    bool first = false;
    {
        QMutexLocker lock(&m_mutex);
        const qint64 now = nowMs();
        if (m_stream.isEmpty() || !activeLocked(now)) {
            // A new sequence: nobody can resume what came before.
            m_stream = m_instanceId + u':' + QString::number(now);
            m_seq = 0;
            m_buffer.clear();
        }
        first = m_watchers.isEmpty();
        const qint64 oldest = m_seq - qint64(m_buffer.size()); // the seq before the first buffered
        o.stream = m_stream;
        o.resumed = stream == m_stream && after && *after <= m_seq && *after >= oldest;
        o.seq = o.resumed ? *after : m_seq;
        for (qint64 s = o.seq + 1; s <= m_seq; ++s)
            o.backlog << m_buffer[size_t(s - oldest - 1)];
        o.watcher = m_nextWatcher++;
        m_watchers.insert(o.watcher, Watcher{ReplyTo(connection), std::move(sink)});
    }
    m_watched.store(true, std::memory_order_relaxed);
    if (first) // tell the other instances now, not at the next tick
        QMetaObject::invokeMethod(this, [this] {
            m_lastBeaconMs = nowMs();
            broadcast({admin::BroadcastKind::Watch, m_instanceId});
        });
    return o;
}

void AdminFeed::detach(quint64 watcher)
{
    QMutexLocker lock(&m_mutex);
    if (m_watchers.remove(watcher) && m_watchers.isEmpty())
        m_lingerUntilMs = nowMs() + kLingerMs;
}

void AdminFeed::publishEvent(const QString &type, const QByteArray &body)
{
    QMetaObject::invokeMethod(this, [this, type, body] {
        Counter *published = nullptr;
        {
            QMutexLocker lock(&m_mutex);
            published = m_config.published;
        }
        if (published)
            published->inc();
        emitEvent(type, body);
        admin::Broadcast b{admin::BroadcastKind::Event, m_instanceId};
        b.eventType = type;
        b.body = body;
        broadcast(b);
    });
}

void AdminFeed::connectionOpened(const ConnectionSummary &c)
{
    QMutexLocker lock(&m_collectMutex);
    if (m_collectedOpened.size() + m_collectedClosed.size() > m_cap.load(std::memory_order_relaxed)) {
        m_collectOverflow = true; // the consoles reload; keep no more
        return;
    }
    m_collectedOpened << admin::ConnectionRow{c.id,         c.userId,       c.username,
                                              c.address,    c.openedAtMs,   c.authenticated,
                                              c.pendingBytes, m_instanceId};
}

void AdminFeed::connectionClosed(qint64 id)
{
    QMutexLocker lock(&m_collectMutex);
    if (m_collectedOpened.size() + m_collectedClosed.size() > m_cap.load(std::memory_order_relaxed)) {
        m_collectOverflow = true;
        return;
    }
    m_collectedClosed << id;
}

QByteArray AdminFeed::withState(const QByteArray &summary, const QString &state)
{
    QJsonObject o = QJsonDocument::fromJson(summary).object();
    o.insert(QStringLiteral("state"), state);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

void AdminFeed::emitFrame(const char *type, const QByteArray &members)
{
    QList<Watcher> to;
    QByteArray frame;
    {
        QMutexLocker lock(&m_mutex);
        if (m_stream.isEmpty() || !activeLocked(nowMs()))
            return;
        ++m_seq;
        frame = "{\"type\":\"" + QByteArray(type) + "\",\"seq\":" + QByteArray::number(m_seq);
        if (!members.isEmpty())
            frame += ',' + members;
        frame += '}';
        m_buffer.push_back(frame);
        while (qsizetype(m_buffer.size()) > std::max(1, m_config.bufferFrames))
            m_buffer.pop_front();
        to = m_watchers.values();
    }
    for (const Watcher &w : std::as_const(to))
        w.to.post([sink = w.sink, frame] { sink(frame); });
}

void AdminFeed::emitEvent(const QString &type, const QByteArray &body)
{
    const QByteArray key = type == u"moderation" ? "entry" : "report";
    emitFrame(type.toLatin1().constData(), '"' + key + "\":" + body);
}

void AdminFeed::broadcast(const admin::Broadcast &b)
{
    if (m_bridge && m_bridge->isUp())
        m_bridge->publish(admin::kEventsChannel, admin::encodeBroadcast(b));
}

void AdminFeed::onBroadcast(const QByteArray &payload)
{
    QString why;
    const auto b = admin::decodeBroadcast(payload, &why);
    if (!b) {
        qCWarning(lcBridge).noquote() << "dropped an admin broadcast of" << payload.size()
                                      << "bytes:" << why;
        return;
    }
    if (b->from == m_instanceId)
        return;
    const qint64 now = nowMs();
    switch (b->kind) {
    case admin::BroadcastKind::Watch:
        m_watchedUntilMs = now + kWatchedForMs;
        m_watched.store(true, std::memory_order_relaxed);
        return;
    case admin::BroadcastKind::Status:
        m_others.insert(b->from, Other{b->summary, b->point, now});
        return;
    case admin::BroadcastKind::Event:
        emitEvent(b->eventType, b->body);
        return;
    case admin::BroadcastKind::Connections:
        if (!active())
            return;
        m_pendingReset = m_pendingReset || b->reset;
        m_pendingOpened += b->opened;
        for (qint64 id : b->closed)
            m_pendingClosed << std::make_pair(b->from, id);
        return;
    }
}

// What the network threads collected since the last tick: to the other
// instances, and into this instance's next `connections` frame.
void AdminFeed::takeCollected(bool active)
{
    admin::Broadcast b{admin::BroadcastKind::Connections, m_instanceId};
    {
        QMutexLocker lock(&m_collectMutex);
        b.opened.swap(m_collectedOpened);
        b.closed.swap(m_collectedClosed);
        b.reset = m_collectOverflow;
        m_collectOverflow = false;
    }
    if (b.opened.isEmpty() && b.closed.isEmpty() && !b.reset)
        return;
    if (b.reset) {
        b.opened.clear();
        b.closed.clear();
    }
    broadcast(b);
    if (!active)
        return;
    m_pendingReset = m_pendingReset || b.reset;
    m_pendingOpened += b.opened;
    for (qint64 id : std::as_const(b.closed))
        m_pendingClosed << std::make_pair(m_instanceId, id);
}

void AdminFeed::tick()
{
    const qint64 now = nowMs();
    bool active = false;
    Config config;
    {
        QMutexLocker lock(&m_mutex);
        active = activeLocked(now);
        if (!active && !m_stream.isEmpty()) {
            m_stream.clear(); // the stream ends: nobody resumes it any more
            m_buffer.clear();
            m_seq = 0;
        }
        config = m_config;
    }
    const bool watched = active || now < m_watchedUntilMs;
    m_watched.store(watched, std::memory_order_relaxed);
    if (!watched) {
        m_others.clear();
        m_pendingOpened.clear();
        m_pendingClosed.clear();
        m_pendingReset = false;
        QMutexLocker lock(&m_collectMutex); // what came just before the flag fell
        m_collectedOpened.clear();
        m_collectedClosed.clear();
        m_collectOverflow = false;
        return;
    }
    takeCollected(active);
    // This instance's status for the others' ticks.
    const QByteArray summary = config.summary ? config.summary() : QByteArray();
    const std::optional<StatsPoint> point = config.stats ? config.stats->latest() : std::nullopt;
    if (!summary.isEmpty()) {
        admin::Broadcast b{admin::BroadcastKind::Status, m_instanceId};
        b.summary = summary;
        b.point = point;
        broadcast(b);
    }
    for (auto it = m_others.begin(); it != m_others.end();)
        it = now - it->heardMs > kForgetAfterMs ? m_others.erase(it) : std::next(it);
    if (!active) {
        m_pendingOpened.clear();
        m_pendingClosed.clear();
        m_pendingReset = false;
        return;
    }
    if (now - m_lastBeaconMs >= kBeaconEveryMs) {
        m_lastBeaconMs = now;
        broadcast({admin::BroadcastKind::Watch, m_instanceId});
    }
    emitTick(now, summary, point);
    emitConnections(config.connectionsCap);
}

void AdminFeed::emitTick(qint64 now, const QByteArray &summary,
                         const std::optional<StatsPoint> &point)
{
    struct Row
    {
        QByteArray summary;
        std::optional<StatsPoint> point;
    };
    QList<Row> rows;
    if (!summary.isEmpty())
        rows << Row{summary, point};
    QStringList others = m_others.keys();
    std::sort(others.begin(), others.end());
    for (const QString &id : std::as_const(others)) {
        const Other &o = m_others[id];
        rows << Row{now - o.heardMs > kStaleAfterMs ? withState(o.summary, QStringLiteral("stale"))
                                                    : o.summary,
                    o.point};
    }
    QList<QList<StatsPoint>> parts;
    for (const Row &r : std::as_const(rows))
        if (r.point) {
            StatsPoint p = *r.point;
            p.second = now / 1000; // one point: the latest of each
            parts << QList<StatsPoint>{p};
        }
    const QList<StatsPoint> summed = sumBySecond(parts);
    StatsPoint cluster = summed.isEmpty() ? StatsPoint{} : summed.first();
    cluster.second = now / 1000;
    emitFrame("tick", membersOf([&](JsonWriter &w) {
                  w.key("t").utf8(formatRfc3339Ms(now)).key("instances").beginArray();
                  for (const Row &r : std::as_const(rows)) {
                      // The summary's members, then "point".
                      const QByteArray s = r.summary.trimmed();
                      QByteArray point;
                      JsonWriter pw(point);
                      if (r.point)
                          writeStatsPoint(pw, *r.point);
                      else
                          pw.null();
                      w.raw(s.left(s.size() - 1) + (s.size() > 2 ? "," : "") + "\"point\":"
                            + point + '}');
                  }
                  w.endArray().key("cluster");
                  writeStatsPoint(w, cluster);
              }));
}

void AdminFeed::emitConnections(int cap)
{
    const qsizetype count = m_pendingOpened.size() + m_pendingClosed.size();
    if (m_pendingReset || count > cap) {
        emitFrame("connections_reset", {});
    } else if (count > 0) {
        emitFrame("connections", membersOf([this](JsonWriter &w) {
                      w.key("opened").beginArray();
                      for (const admin::ConnectionRow &c : std::as_const(m_pendingOpened))
                          admin::writeConnection(w, c);
                      w.endArray().key("closed").beginArray();
                      for (const auto &[instance, id] : std::as_const(m_pendingClosed))
                          w.beginObject().field("instance", instance).field("id", id).endObject();
                      w.endArray();
                  }));
    }
    m_pendingReset = false;
    m_pendingOpened.clear();
    m_pendingClosed.clear();
}

} // namespace sanayicin
