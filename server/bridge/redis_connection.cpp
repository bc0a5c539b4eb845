#include "redis_connection.h"

#include "logging/log.h"
#include "time/clock.h"

#include <QHostInfo>
#include <QSocketNotifier>
#include <algorithm>
#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <utility>
#include <vector>

namespace sanayicin {

namespace {

struct PendingCommand
{
    RedisConnection *connection;
    RedisConnection::Reply reply;
};

constexpr int kMaxBackoffMs = 5000;
constexpr int kWatchdogMs = 100;
constexpr int kRoleCheckMs = 1000;

// A ROLE reply that names another role than master; an error (an ACL
// without +role, say) is not taken for a demotion.
bool namesAnotherRole(const redisReply *r)
{
    return r && r->type == REDIS_REPLY_ARRAY && r->elements > 0
           && r->element[0]->type == REDIS_REPLY_STRING
           && QByteArray(r->element[0]->str, qsizetype(r->element[0]->len)) != "master";
}

} // namespace

RedisConnection::RedisConnection(RedisUrl url, QString name, QObject *parent)
    : QObject(parent), m_url(std::move(url)), m_name(std::move(name))
{
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &RedisConnection::connectNow);
    m_watchdog.setInterval(kWatchdogMs);
    connect(&m_watchdog, &QTimer::timeout, this, &RedisConnection::checkDeadlines);
    m_watchTimer.setSingleShot(true);
    connect(&m_watchTimer, &QTimer::timeout, this, [this] {
        if (m_ctx && !m_sentinelWatch && !m_sentinelAsk)
            askSentinel(0);
    });
    m_roleTimer.setInterval(kRoleCheckMs);
    connect(&m_roleTimer, &QTimer::timeout, this, &RedisConnection::checkRole);
    m_resolver = [](const QString &host, QObject *context, Resolved done) {
        QHostInfo::lookupHost(host, context, [done = std::move(done)](const QHostInfo &info) {
            done(info.addresses(), info.error() == QHostInfo::NoError ? QString() : info.errorString());
        });
    };
}

RedisConnection::~RedisConnection()
{
    // Before this object is half gone: they call back into it. Nulled, as
    // redisAsyncFree() below calls onDisconnect().
    delete std::exchange(m_sentinelAsk, nullptr);
    delete std::exchange(m_sentinelWatch, nullptr);
    delete std::exchange(m_probe, nullptr);
    m_watchdog.stop();
    m_reconnectTimer.stop();
    if (m_ctx) {
        redisAsyncContext *ctx = m_ctx;
        m_ctx = nullptr;
        m_state = State::Idle;
        m_destroying = true;
        redisAsyncFree(ctx); // hiredis hands back the pending commands: dropped, not called
    }
}

void RedisConnection::start()
{
    m_watchdog.start();
    connectNow();
}

void RedisConnection::connectNow()
{
    if (m_ctx || m_resolving || m_sentinelAsk)
        return;
    if (m_url.viaSentinel() && !m_masterKnown && m_addresses.isEmpty()) {
        askSentinel(0);
        return;
    }
    if (!m_addresses.isEmpty()) {
        connectTo(m_addresses.takeFirst());
        return;
    }
    // hiredis would call getaddrinfo() here and block this thread (the
    // delivery thread) for as long as DNS takes: look names up elsewhere.
    QHostAddress literal;
    if (literal.setAddress(m_url.host)) {
        connectTo(literal);
        return;
    }
    m_resolving = true;
    m_resolver(m_url.host, this, [this](QList<QHostAddress> addresses, QString error) {
        resolved(addresses, error);
    });
}

void RedisConnection::askSentinel(int tried)
{
    if (m_sentinelAsk) {
        m_sentinelAsk->deleteLater(); // may be inside its own callback
        m_sentinelAsk = nullptr;
    }
    if (tried >= m_url.sentinels.size()) {
        qCWarning(lcBridge).noquote() << m_name << "no sentinel of" << m_url.redacted()
                                      << "named the master; retrying";
        if (m_ctx)
            rewatchLater(); // still on the master, without a watch
        else
            scheduleReconnect();
        return;
    }
    const RedisUrl::Node node = m_url.sentinels.at(tried);
    RedisUrl url;
    url.host = node.host;
    url.port = node.port;
    url.user = m_url.sentinelUser;
    url.password = m_url.sentinelPassword;
    auto *ask = new RedisConnection(url, m_name + QStringLiteral(" sentinel"), this);
    m_sentinelAsk = ask;
    ask->setResolver(m_resolver);
    ask->setTimeouts(m_connectTimeoutMs, m_commandTimeoutMs);
    auto next = [this, ask, tried] {
        if (m_sentinelAsk == ask)
            askSentinel(tried + 1);
    };
    // A sentinel that cannot be reached would retry forever by itself: go on
    // to the next at once, or when it is silent for too long.
    QTimer::singleShot(m_connectTimeoutMs + m_commandTimeoutMs, ask, next);
    connect(ask, &RedisConnection::unreachable, this, [ask, next] {
        QTimer::singleShot(0, ask, next); // not inside hiredis' callback
    });
    connect(ask, &RedisConnection::connected, this, [this, ask, next, node] {
        const QList<QByteArray> question{"SENTINEL", "get-master-addr-by-name",
                                         m_url.masterName.toUtf8()};
        ask->command(question, [this, ask, next, node](redisReply *r) {
            if (m_sentinelAsk != ask)
                return;
            bool ok = r && r->type == REDIS_REPLY_ARRAY && r->elements == 2
                      && r->element[0]->type == REDIS_REPLY_STRING
                      && r->element[1]->type == REDIS_REPLY_STRING;
            const QString host = ok ? QString::fromUtf8(r->element[0]->str, qsizetype(r->element[0]->len))
                                    : QString();
            const int port = ok ? QByteArray(r->element[1]->str, qsizetype(r->element[1]->len)).toInt(&ok)
                                : 0;
            if (!ok || host.isEmpty() || port < 1 || port > 65535) {
                qCWarning(lcBridge).noquote() << m_name << "sentinel" << ask->m_url.redacted()
                                              << "does not name the master" << m_url.masterName;
                QTimer::singleShot(0, ask, next);
                return;
            }
            m_sentinelAsk = nullptr;
            // The guidelines' order: the sentinel that answered is asked first.
            const qsizetype at = m_url.sentinels.indexOf(node);
            if (at > 0)
                m_url.sentinels.move(at, 0);
            m_namedBy = node;
            watchSentinel(ask);
            masterAt(host, port);
        });
    });
    ask->start();
}

void RedisConnection::watchSentinel(RedisConnection *sentinel)
{
    if (m_sentinelWatch)
        m_sentinelWatch->deleteLater();
    m_sentinelWatch = sentinel;
    m_watchTimer.stop();
    m_watchBackoffMs = 100;
    const RedisUrl::Node node{sentinel->m_url.host, sentinel->m_url.port};
    sentinel->subscribe({"+switch-master"}, [this](const QByteArray &, const QByteArray &payload) {
        switchedMaster(payload);
    });
    // Without a watch a frozen master would go unnoticed: ask again for a
    // sentinel that answers (the master connection stays if it is still
    // the one they name).
    connect(sentinel, &RedisConnection::disconnected, this, [this, sentinel, node] {
        if (m_sentinelWatch != sentinel)
            return;
        m_sentinelWatch = nullptr;
        sentinel->deleteLater();
        toTheBack(node); // it just went away: the others first
        if (m_sentinelAsk)
            return; // a connect is asking already, and will watch
        if (m_ctx)
            askSentinel(0);
    });
}

void RedisConnection::rewatchLater()
{
    if (m_watchTimer.isActive())
        return;
    m_watchTimer.start(m_watchBackoffMs);
    m_watchBackoffMs = std::min(kMaxBackoffMs, m_watchBackoffMs * 2);
}

void RedisConnection::toTheBack(const RedisUrl::Node &sentinel)
{
    const qsizetype at = m_url.sentinels.indexOf(sentinel);
    if (at >= 0)
        m_url.sentinels.move(at, m_url.sentinels.size() - 1);
}

void RedisConnection::notMaster(const char *why)
{
    toTheBack(m_namedBy);
    lost(why);
}

void RedisConnection::checkRole()
{
    if (m_state != State::Ready || !m_url.viaSentinel())
        return;
    if (m_channels.isEmpty()) {
        send({"ROLE"}, [this](redisReply *r) {
            if (m_state == State::Ready && namesAnotherRole(r))
                notMasterLater();
        });
        return;
    }
    // A subscribed connection may only (un)subscribe and ping: a connection
    // of its own to the same server asks.
    if (!m_probe) {
        RedisUrl plain = m_url;
        plain.sentinels.clear();
        plain.masterName.clear();
        m_probe = new RedisConnection(plain, m_name + QStringLiteral(" role check"), this);
        m_probe->setResolver(m_resolver);
        m_probe->setTimeouts(m_connectTimeoutMs, m_commandTimeoutMs);
        m_probe->start();
    }
    RedisConnection *probe = m_probe;
    probe->command({"ROLE"}, [this, probe](redisReply *r) {
        if (m_probe == probe && m_state == State::Ready && namesAnotherRole(r))
            notMasterLater();
    });
}

void RedisConnection::notMasterLater()
{
    // Not inside hiredis' callback; and only this connection, not one that
    // has been made since.
    QTimer::singleShot(0, this, [this, ctx = m_ctx] {
        if (m_ctx == ctx)
            notMaster("the server is no longer a master (ROLE)");
    });
}

void RedisConnection::stopProbe()
{
    if (m_probe) {
        m_probe->deleteLater(); // may be inside its own callback
        m_probe = nullptr;
    }
}

void RedisConnection::switchedMaster(const QByteArray &payload)
{
    // "<name> <old-ip> <old-port> <new-ip> <new-port>"
    const QList<QByteArray> parts = payload.split(' ');
    if (parts.size() != 5 || parts[0] != m_url.masterName.toUtf8())
        return;
    bool ok = false;
    const int port = parts[4].toInt(&ok);
    if (!ok || port < 1 || port > 65535)
        return;
    masterAt(QString::fromUtf8(parts[3]), port);
}

void RedisConnection::masterAt(const QString &host, int port)
{
    const bool moved = host != m_url.host || port != m_url.port;
    m_url.host = host;
    m_url.port = port;
    m_masterKnown = true;
    m_addresses.clear();
    if (m_ctx) {
        if (moved)
            lost("the sentinels name another master");
        return;
    }
    if (moved && m_reconnectTimer.isActive()) {
        // A new master (+switch-master) while we wait out the backoff of
        // failed tries at the old one: the backoff was for that one.
        m_reconnectTimer.stop();
        m_backoffMs = 100;
    }
    if (!m_reconnectTimer.isActive())
        QTimer::singleShot(0, this, &RedisConnection::connectNow); // not inside hiredis' callback
}

void RedisConnection::resolved(const QList<QHostAddress> &addresses, const QString &error)
{
    m_resolving = false;
    m_addresses = addresses;
    if (m_addresses.isEmpty()) {
        qCWarning(lcBridge).noquote() << m_name << "cannot resolve" << m_url.host << ":"
                                      << (error.isEmpty() ? QStringLiteral("no address") : error)
                                      << "; retrying";
        scheduleReconnect();
        return;
    }
    // IPv4 first, as a server bound to 127.0.0.1 is the common case for
    // "localhost"; the others follow in the resolver's order.
    std::stable_partition(m_addresses.begin(), m_addresses.end(), [](const QHostAddress &a) {
        return a.protocol() == QAbstractSocket::IPv4Protocol;
    });
    connectTo(m_addresses.takeFirst());
}

void RedisConnection::connectFailed()
{
    if (!m_addresses.isEmpty()) {
        QTimer::singleShot(0, this, &RedisConnection::connectNow); // not inside hiredis' callback
        return;
    }
    scheduleReconnect();
    Q_EMIT unreachable();
}

void RedisConnection::connectTo(const QHostAddress &address)
{
    // A literal address: hiredis' getaddrinfo() answers without DNS.
    m_ctx = redisAsyncConnect(address.toString().toUtf8().constData(), m_url.port);
    if (!m_ctx || m_ctx->err) {
        qCWarning(lcBridge).noquote() << m_name << "cannot connect to" << m_url.redacted() << "at"
                                      << address.toString() << ":"
                                      << (m_ctx ? m_ctx->errstr : "out of memory");
        if (m_ctx)
            redisAsyncFree(m_ctx);
        m_ctx = nullptr;
        connectFailed();
        return;
    }
    m_ctx->data = this;
    m_ctx->ev.data = this;
    m_ctx->ev.addRead = &RedisConnection::addRead;
    m_ctx->ev.delRead = &RedisConnection::delRead;
    m_ctx->ev.addWrite = &RedisConnection::addWrite;
    m_ctx->ev.delWrite = &RedisConnection::delWrite;
    m_ctx->ev.cleanup = &RedisConnection::cleanup;
    redisAsyncSetConnectCallback(m_ctx, &RedisConnection::onConnect);
    redisAsyncSetDisconnectCallback(m_ctx, &RedisConnection::onDisconnect);
    redisEnableKeepAlive(&m_ctx->c); // notices a silent peer (subscriber)
    m_state = State::Connecting;
    m_connectStartedMs = steadyMs();
    // hiredis waits for writability to finish a non-blocking connect.
    addWrite(this);
}

void RedisConnection::onConnect(const redisAsyncContext *ac, int status)
{
    auto *self = static_cast<RedisConnection *>(ac->data);
    if (!self)
        return;
    if (status != REDIS_OK) {
        // hiredis frees the context after this callback.
        qCWarning(lcBridge).noquote() << self->m_name << "connection to" << self->m_url.redacted()
                                      << "failed:" << ac->errstr;
        self->m_ctx = nullptr;
        self->m_state = State::Idle;
        self->connectFailed();
        return;
    }
    self->m_addresses.clear(); // this one answers: the next connect looks up again
    self->m_state = State::Handshake;
    self->m_connectStartedMs = steadyMs(); // the handshake has the connect timeout too
    self->handshake();
}

void RedisConnection::handshake()
{
    // AUTH and SELECT go first; the connection is up only when both said OK.
    auto step = [this](const char *what) {
        return [this, what](redisReply *r) {
            if (m_state != State::Handshake)
                return;
            if (!r || r->type == REDIS_REPLY_ERROR) {
                // Redis' error text names no secret ("WRONGPASS invalid
                // username-password pair ..."); the password is never logged.
                const QByteArray why = r ? QByteArray(r->str, qsizetype(r->len)) : "no answer";
                qCWarning(lcBridge).noquote() << m_name << what << "refused by"
                                              << m_url.redacted() << ":" << why;
                lost("handshake failed");
            }
        };
    };
    if (!m_url.password.isEmpty()) {
        QList<QByteArray> auth{"AUTH"};
        if (!m_url.user.isEmpty())
            auth << m_url.user.toUtf8();
        auth << m_url.password.toUtf8();
        send(auth, step("AUTH"));
    }
    if (m_url.db != 0)
        send({"SELECT", QByteArray::number(m_url.db)}, step("SELECT"));
    if (m_url.viaSentinel()) {
        // The sentinels may lag behind a switch: only a master will do.
        send({"ROLE"}, [this, failed = step("ROLE")](redisReply *r) {
            failed(r);
            if (m_state != State::Handshake)
                return;
            if (r->type != REDIS_REPLY_ARRAY || namesAnotherRole(r))
                notMaster("the server the sentinels named is not a master");
        });
    }
    // Replies come in order: PING's answer means the steps before succeeded
    // (a failure has already dropped the connection and its callbacks).
    send({"PING"}, [this, failed = step("PING")](redisReply *r) {
        failed(r);
        if (m_state == State::Handshake)
            handshakeDone();
    });
}

void RedisConnection::handshakeDone()
{
    m_state = State::Ready;
    m_backoffMs = 100;
    if (!m_channels.isEmpty())
        sendSubscribe();
    if (m_url.viaSentinel())
        m_roleTimer.start();
    if (m_url.viaSentinel())
        qCInfo(lcBridge).noquote() << m_name << "connected to the master" << m_url.host << m_url.port
                                   << "of" << m_url.redacted();
    else
        qCInfo(lcBridge).noquote() << m_name << "connected to" << m_url.redacted();
    Q_EMIT connected();
}

void RedisConnection::onDisconnect(const redisAsyncContext *ac, int status)
{
    auto *self = static_cast<RedisConnection *>(ac->data);
    if (!self)
        return;
    if (self->m_destroying) { // from the destructor: no signal, no reconnect
        self->m_ctx = nullptr;
        return;
    }
    const bool wasReady = self->m_state == State::Ready;
    self->m_ctx = nullptr; // hiredis frees it after this callback
    self->m_state = State::Idle;
    self->m_sentAt.clear();
    self->m_roleTimer.stop();
    self->stopProbe();
    if (status != REDIS_OK)
        qCWarning(lcBridge).noquote() << self->m_name << "lost its connection:" << ac->errstr;
    if (wasReady)
        Q_EMIT self->disconnected();
    self->scheduleReconnect();
}

void RedisConnection::scheduleReconnect()
{
    m_masterKnown = false; // ask the sentinels again
    if (m_reconnectTimer.isActive())
        return;
    m_reconnectTimer.start(m_backoffMs);
    m_backoffMs = std::min(kMaxBackoffMs, m_backoffMs * 2);
}

void RedisConnection::lost(const char *why)
{
    if (!m_ctx)
        return;
    qCWarning(lcBridge).noquote() << m_name << why << "; reconnecting";
    redisAsyncContext *ctx = m_ctx;
    const bool wasReady = m_state == State::Ready;
    // Free it ourselves: pending callbacks get nullptr, then onDisconnect
    // (if it was connected) schedules the reconnect.
    redisAsyncFree(ctx);
    if (m_ctx == ctx) { // not connected yet: no disconnect callback ran
        m_ctx = nullptr;
        m_state = State::Idle;
        m_sentAt.clear();
        m_roleTimer.stop();
        stopProbe();
        if (wasReady)
            Q_EMIT disconnected();
        connectFailed();
    }
}

void RedisConnection::checkDeadlines()
{
    const qint64 now = steadyMs();
    if ((m_state == State::Connecting || m_state == State::Handshake)
        && now - m_connectStartedMs > m_connectTimeoutMs)
        lost("connect timed out");
    else if (m_state == State::Ready && !m_sentAt.empty()
             && now - m_sentAt.front() > m_commandTimeoutMs)
        lost("a reply is late");
}

bool RedisConnection::command(const QList<QByteArray> &args, Reply reply)
{
    if (m_state != State::Ready)
        return false;
    return send(args, std::move(reply));
}

bool RedisConnection::send(const QList<QByteArray> &args, Reply reply)
{
    if (!m_ctx)
        return false;
    std::vector<const char *> argv;
    std::vector<size_t> lengths;
    argv.reserve(size_t(args.size()));
    lengths.reserve(size_t(args.size()));
    for (const QByteArray &a : args) {
        argv.push_back(a.constData());
        lengths.push_back(size_t(a.size()));
    }
    auto *p = new PendingCommand{this, std::move(reply)};
    if (redisAsyncCommandArgv(m_ctx, &RedisConnection::onReply, p, int(argv.size()), argv.data(),
                              lengths.data())
        != REDIS_OK) {
        delete p;
        return false;
    }
    m_sentAt.push_back(steadyMs());
    return true;
}

void RedisConnection::onReply(redisAsyncContext *, void *reply, void *privdata)
{
    auto *p = static_cast<PendingCommand *>(privdata);
    RedisConnection *self = p->connection;
    if (!self->m_sentAt.empty())
        self->m_sentAt.pop_front();
    auto *r = static_cast<redisReply *>(reply);
    if (p->reply && !self->m_destroying)
        p->reply(r);
    delete p;
    // A master turned replica under us (a failover the sentinels made).
    if (r && r->type == REDIS_REPLY_ERROR && self->m_url.viaSentinel() && !self->m_destroying
        && qstrncmp(r->str, "READONLY", 8) == 0)
        QTimer::singleShot(0, self, [self] { self->notMaster("the server turned replica (READONLY)"); });
}

void RedisConnection::subscribe(const QList<QByteArray> &channels, Message onMessage)
{
    m_channels = channels;
    m_onMessage = std::move(onMessage);
    if (m_state == State::Ready)
        sendSubscribe();
}

void RedisConnection::sendSubscribe()
{
    std::vector<const char *> argv{"SUBSCRIBE"};
    std::vector<size_t> lengths{9};
    for (const QByteArray &c : std::as_const(m_channels)) {
        argv.push_back(c.constData());
        lengths.push_back(size_t(c.size()));
    }
    // One callback serves every message on these channels until disconnect.
    redisAsyncCommandArgv(m_ctx, &RedisConnection::onSubscribed, this, int(argv.size()),
                          argv.data(), lengths.data());
}

void RedisConnection::onSubscribed(redisAsyncContext *, void *reply, void *privdata)
{
    auto *self = static_cast<RedisConnection *>(privdata);
    auto *r = static_cast<redisReply *>(reply);
    if (!r || r->type != REDIS_REPLY_ARRAY || r->elements != 3)
        return;
    const redisReply *kind = r->element[0];
    if (kind->type != REDIS_REPLY_STRING || qstrncmp(kind->str, "message", 8) != 0)
        return; // subscribe confirmations
    if (self->m_onMessage)
        self->m_onMessage(QByteArray(r->element[1]->str, qsizetype(r->element[1]->len)),
                          QByteArray(r->element[2]->str, qsizetype(r->element[2]->len)));
}

void RedisConnection::addRead(void *data)
{
    auto *self = static_cast<RedisConnection *>(data);
    if (!self->m_readNotifier) {
        self->m_readNotifier = new QSocketNotifier(self->m_ctx->c.fd, QSocketNotifier::Read, self);
        connect(self->m_readNotifier, &QSocketNotifier::activated, self, [self] {
            if (self->m_ctx)
                redisAsyncHandleRead(self->m_ctx);
        });
    }
    self->m_readNotifier->setEnabled(true);
}

void RedisConnection::delRead(void *data)
{
    auto *self = static_cast<RedisConnection *>(data);
    if (self->m_readNotifier)
        self->m_readNotifier->setEnabled(false);
}

void RedisConnection::addWrite(void *data)
{
    auto *self = static_cast<RedisConnection *>(data);
    if (!self->m_writeNotifier) {
        self->m_writeNotifier = new QSocketNotifier(self->m_ctx->c.fd, QSocketNotifier::Write, self);
        connect(self->m_writeNotifier, &QSocketNotifier::activated, self, [self] {
            if (self->m_ctx)
                redisAsyncHandleWrite(self->m_ctx);
        });
    }
    self->m_writeNotifier->setEnabled(true);
}

void RedisConnection::delWrite(void *data)
{
    auto *self = static_cast<RedisConnection *>(data);
    if (self->m_writeNotifier)
        self->m_writeNotifier->setEnabled(false);
}

void RedisConnection::cleanup(void *data)
{
    auto *self = static_cast<RedisConnection *>(data);
    // The descriptor is about to close: stop watching it now, delete later
    // (this may run inside a notifier's own signal).
    for (QSocketNotifier **n : {&self->m_readNotifier, &self->m_writeNotifier}) {
        if (*n) {
            (*n)->setEnabled(false);
            (*n)->deleteLater();
            *n = nullptr;
        }
    }
}

} // namespace sanayicin
