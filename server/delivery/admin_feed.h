#pragma once

#include "bridge/admin_wire.h"
#include "delivery/connection_host.h"
#include "threading/reply_to.h"

#include <QHash>
#include <QMutex>
#include <QObject>
#include <QTimer>
#include <atomic>
#include <deque>
#include <functional>
#include <optional>

namespace sanayicin {

class Bridge;
class Counter;
class StatsHistory;

// The admin stream of this instance (docs/protocol.md "Admin stream"): one
// numbered sequence of frames that every admin WebSocket opened here gets,
// kept in a bounded buffer so that a console that reconnects resumes where
// it left off. It lives on the delivery thread, next to the bridge: the
// frames of other instances (reports, moderation, connection events, their
// statuses) come over one Redis channel (admin::kEventsChannel).
//
// A stream runs while a watcher is attached and kLingerMs after the last one
// left (a reconnecting console resumes), then ends: the next watcher starts a
// new one. While any instance runs a stream (its Watch beacons say so) every
// instance sends its status each second and its connection events each tick;
// otherwise a connection opening costs one relaxed atomic load (watched()).
class AdminFeed : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 kLingerMs = 60000;
    static constexpr qint64 kBeaconEveryMs = 2000;
    static constexpr qint64 kWatchedForMs = 5000;  // after the last beacon heard
    static constexpr qint64 kStaleAfterMs = 3000;  // an instance's status is that old
    static constexpr qint64 kForgetAfterMs = 15000; // as its heartbeat key expires

    struct Config
    {
        int bufferFrames = 300;
        int connectionsCap = 500; // opened + closed per tick before connections_reset
        // This instance's Instance object with its "state" (app/ knows it).
        std::function<QByteArray()> summary;
        const StatsHistory *stats = nullptr;
        Counter *published = nullptr; // events told (locally and to the others)
    };

    // On the delivery thread; `bridge` null without Redis.
    AdminFeed(Bridge *bridge, QString instanceId, QObject *parent = nullptr);
    ~AdminFeed() override;

    // Before the first watcher (thread-safe).
    void configure(Config config);
    // On the delivery thread, before the bridge goes: no more ticks, nothing
    // more published; later events are dropped.
    void stop();

    // A network thread's admin WebSocket, authenticated: the welcome's
    // fields and the buffered frames it must send first. From then on
    // `sink` gets every new frame, on `connection`'s thread, while it lives.
    struct Opening
    {
        QString stream;
        qint64 seq = 0; // the seq the welcome covers
        bool resumed = false;
        QList<QByteArray> backlog; // the frames after `seq`, in order
        quint64 watcher = 0;
    };
    Opening attach(const QString &stream, std::optional<qint64> after, QObject *connection,
                   std::function<void(const QByteArray &frame)> sink);
    void detach(quint64 watcher);
    int watchers() const;

    // Any thread: a report or a log entry for the streams of every instance.
    // `type`: report_filed, report_resolved or moderation; `body`: the JSON
    // object the frame carries under "report" or "entry".
    void publishEvent(const QString &type, const QByteArray &body);

    // Network threads: a WebSocket authenticated or closed here. Only worth
    // calling while watched().
    bool watched() const { return m_watched.load(std::memory_order_relaxed); }
    void connectionOpened(const ConnectionSummary &c);
    void connectionClosed(qint64 id);

    // An Instance summary (a JSON object) with "state" set to `state`.
    static QByteArray withState(const QByteArray &summary, const QString &state);

private:
    struct Watcher
    {
        ReplyTo to;
        std::function<void(const QByteArray &)> sink;
    };
    struct Other
    {
        QByteArray summary;
        std::optional<StatsPoint> point;
        qint64 heardMs = 0;
    };

    bool activeLocked(qint64 now) const;
    bool active() const;
    void tick();
    void emitFrame(const char *type, const QByteArray &members);
    void emitEvent(const QString &type, const QByteArray &body);
    void emitTick(qint64 now, const QByteArray &summary, const std::optional<StatsPoint> &point);
    void emitConnections(int cap);
    void onBroadcast(const QByteArray &payload);
    void broadcast(const admin::Broadcast &b);
    void takeCollected(bool active);

    Bridge *m_bridge;
    const QString m_instanceId;
    QTimer m_timer;

    mutable QMutex m_mutex; // everything a network thread's attach/detach touches
    Config m_config;
    QString m_stream; // empty: no stream runs
    qint64 m_seq = 0;
    std::deque<QByteArray> m_buffer; // the newest frames; the last has m_seq
    QHash<quint64, Watcher> m_watchers;
    quint64 m_nextWatcher = 1;
    qint64 m_lingerUntilMs = 0;

    QMutex m_collectMutex; // connection events from the network threads
    QList<admin::ConnectionRow> m_collectedOpened;
    QList<qint64> m_collectedClosed;
    bool m_collectOverflow = false;
    std::atomic<int> m_cap{500}; // Config::connectionsCap, for the network threads

    // The delivery thread's own.
    std::atomic<bool> m_watched{false};
    qint64 m_watchedUntilMs = 0; // another instance's beacon
    qint64 m_lastBeaconMs = 0;
    QHash<QString, Other> m_others;
    QList<admin::ConnectionRow> m_pendingOpened; // for the next tick, every instance's
    QList<std::pair<QString, qint64>> m_pendingClosed;
    bool m_pendingReset = false;
};

} // namespace sanayicin
