#pragma once

#include "redis_url.h"

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QTimer>
#include <deque>
#include <functional>

struct redisAsyncContext;
struct redisReply;
class QSocketNotifier;

namespace sanayicin {

// One hiredis asynchronous connection on the Qt event loop of the thread it
// lives in. Our own adapter (QSocketNotifier for I/O, QTimer for deadlines):
// hiredis 0.14 has no async timeouts and its Qt adapter sets no timers. It
// reconnects with exponential backoff, and fails every pending command (the
// callback gets nullptr) when the connection drops or a reply is late; when
// it is destroyed, pending callbacks are dropped without a call (whoever
// sent them is being torn down with it and may be gone already). After
// every (re)connect it authenticates (AUTH) and selects the database before
// it counts as connected: a refused password leaves it down, never half up.
// A host name is looked up without blocking the thread (QHostInfo); each
// address it has is tried in turn, and a failed lookup is a failed connect.
//
// With a Sentinel URL (RedisUrl::viaSentinel) every connect first asks the
// sentinels, one after another, where the master is (SENTINEL
// get-master-addr-by-name, after AUTH when the URL has a sentinel
// password), and the handshake checks that the server says ROLE master. As
// the Sentinel client guidelines ask, the sentinel that answered moves to
// the front of the list (asked first next time), and one that named a
// server failing the ROLE check moves to the back. The sentinel that
// answered stays subscribed to +switch-master; when that watch is lost it
// is made again with another sentinel, or on a timer with backoff while
// none answers. While up, the connection checks ROLE every second (a
// subscriber, which may not send ROLE, through a probe connection of its
// own to the same server). A switch of our master, a server that is no
// longer master, a READONLY error or a lost connection drops the
// connection, and the reconnect asks the sentinels again. Those who use
// the connection see an ordinary disconnect and reconnect, as after a
// restart.
class RedisConnection : public QObject
{
    Q_OBJECT
public:
    using Reply = std::function<void(redisReply *reply)>; // nullptr: no answer
    using Message = std::function<void(const QByteArray &channel, const QByteArray &payload)>;
    // Looks `host` up and calls `done` on `context`'s thread (not at all if
    // `context` is gone): the addresses, or none and why.
    using Resolved = std::function<void(QList<QHostAddress> addresses, QString error)>;
    using Resolver = std::function<void(const QString &host, QObject *context, Resolved done)>;

    RedisConnection(RedisUrl url, QString name, QObject *parent = nullptr);
    ~RedisConnection() override;

    void start();
    bool isConnected() const { return m_state == State::Ready; }
    int pending() const { return int(m_sentAt.size()); }

    // Sends a command (arguments are binary-safe). False, and no callback,
    // when not connected.
    bool command(const QList<QByteArray> &args, Reply reply = {});
    // Subscriber use: subscribes (again after every reconnect) and calls
    // `onMessage` for every message on the channels.
    void subscribe(const QList<QByteArray> &channels, Message onMessage);

    // For tests: another way to look host names up (QHostInfo by default).
    void setResolver(Resolver resolver) { m_resolver = std::move(resolver); }
    bool isResolving() const { return m_resolving; }

    void setTimeouts(int connectMs, int commandMs)
    {
        m_connectTimeoutMs = connectMs;
        m_commandTimeoutMs = commandMs;
    }
    // Sentinel mode: where the master is now (the first sentinel before it
    // was asked), and the sentinels in the order they will be asked.
    QString masterHost() const { return m_url.host; }
    int masterPort() const { return m_url.port; }
    QList<RedisUrl::Node> sentinelOrder() const { return m_url.sentinels; }
    bool isWatching() const { return m_sentinelWatch && m_sentinelWatch->isConnected(); }

Q_SIGNALS:
    void connected();
    void disconnected();
    // A connect failed (refused, timed out, handshake refused) and the next
    // try waits for the backoff.
    void unreachable();

private:
    enum class State { Idle, Connecting, Handshake, Ready };

    static void onConnect(const redisAsyncContext *ac, int status);
    static void onDisconnect(const redisAsyncContext *ac, int status);
    static void onReply(redisAsyncContext *ac, void *reply, void *privdata);
    static void onSubscribed(redisAsyncContext *ac, void *reply, void *privdata);
    static void addRead(void *data);
    static void delRead(void *data);
    static void addWrite(void *data);
    static void delWrite(void *data);
    static void cleanup(void *data);

    void connectNow();
    void resolved(const QList<QHostAddress> &addresses, const QString &error);
    void connectTo(const QHostAddress &address);
    // A connect failed: the next address of the last lookup, or a new try later.
    void connectFailed();
    // Sends without checking the state (the handshake runs before Ready).
    bool send(const QList<QByteArray> &args, Reply reply);
    void handshake();
    void handshakeDone();
    void lost(const char *why);
    void scheduleReconnect();
    void checkDeadlines();
    void sendSubscribe();
    // Sentinel mode: asks the sentinel `tried` places after the last one
    // asked; after all of them, a new round later.
    void askSentinel(int tried);
    void masterAt(const QString &host, int port);
    void watchSentinel(RedisConnection *sentinel);
    void switchedMaster(const QByteArray &payload);
    // No watch and no sentinel answers: try again after the watch backoff.
    void rewatchLater();
    // Moves a sentinel to the back of the list (asked last).
    void toTheBack(const RedisUrl::Node &sentinel);
    // The server is not a master: the sentinel that named it goes to the
    // back, and the connection drops (the reconnect asks again).
    void notMaster(const char *why);
    void notMasterLater(); // a ROLE check's verdict
    void checkRole();
    void stopProbe();

    RedisUrl m_url;
    QString m_name;
    redisAsyncContext *m_ctx = nullptr;
    bool m_destroying = false;
    QSocketNotifier *m_readNotifier = nullptr;
    QSocketNotifier *m_writeNotifier = nullptr;
    State m_state = State::Idle;
    Resolver m_resolver;
    bool m_resolving = false;
    QList<QHostAddress> m_addresses; // of the last lookup, not yet tried
    QTimer m_reconnectTimer;
    QTimer m_watchdog;
    qint64 m_connectStartedMs = 0;
    int m_backoffMs = 100;
    int m_connectTimeoutMs = 2000;
    int m_commandTimeoutMs = 3000;
    std::deque<qint64> m_sentAt; // replies come back in order
    QList<QByteArray> m_channels;
    Message m_onMessage;
    // Sentinel mode.
    RedisConnection *m_sentinelAsk = nullptr;   // asking where the master is
    RedisConnection *m_sentinelWatch = nullptr; // subscribed to +switch-master
    bool m_masterKnown = false; // asked since the last failure
    RedisUrl::Node m_namedBy;   // the sentinel that named m_url's master
    QTimer m_watchTimer;
    int m_watchBackoffMs = 100;
    QTimer m_roleTimer;
    RedisConnection *m_probe = nullptr; // a subscriber's ROLE checks
};

} // namespace sanayicin
