#include "daemon.h"

#include "notify/notify_producer.h"

#include "delivery/admin_feed.h"
#include "feed_admin_events.h"

#include "auth/authenticator.h"
#include "auth/password_hasher.h"
#include "auth/session_cache.h"
#include "config_reload.h"
#include "daemon_status.h"
#include "bridge/redis_url.h"
#include "bridge/shared_state.h"
#include "cache/directory_cache.h"
#include "cache/recent_messages.h"
#include "chat/chat.h"
#include "delivery/delivery_service.h"
#include "delivery/hub.h"
#include "delivery/local_hub.h"
#include "delivery/presence_view.h"
#include "delivery/session_audit.h"
#include "http/http_deps.h"
#include "http/router.h"
#include "http/routes.h"
#include "job_runtime.h"
#include "limits/rate_gate.h"
#include "limits/rate_limiter.h"
#include "logging/log.h"
#include "metrics/metrics.h"
#include "metrics/server_metrics.h"
#include "metrics/stats_history.h"
#include "metrics/stats_sampler.h"
#include "delivery/cluster_queries.h"
#include "net/connection_limits.h"
#include "net/listen_socket.h"
#include "network_thread.h"
#include "readiness_probe.h"
#include "services.h"
#include "storage/db.h"
#include "storage/db_pool.h"
#include "storage/batched_lookup.h"
#include "storage/conversation_store.h"
#include "storage/message_store.h"
#include "storage/membership_cache.h"
#include "storage/user_cache.h"
#include "storage/message_writer.h"
#include "storage/migrator.h"
#include "systemd_link.h"
#include "threading/mailbox.h"
#include "time/clock.h"
#include "time/rfc3339.h"
#include "ws/ws_deps.h"
#include "json/json_writer.h"

#include <QCoreApplication>
#include <QDir>
#include <QTimer>

namespace sanayicin {

namespace {
constexpr int kListenBacklog = 4096;
constexpr int kOpsBacklog = 64;
constexpr int kReadyzTimeoutMs = 2000; // as /readyz waits (routes_operations.cpp)
constexpr int kFlushMs = 300; // for close frames and last responses to leave
constexpr int kReadyRetryMs = 250; // until the instance serves, under systemd
} // namespace

Daemon::Daemon(DaemonConfig config) : m_config(std::move(config)) {}

Daemon::~Daemon()
{
    stopEverything();
}

bool Daemon::start(QString &error)
{
    if (m_config.database.dialect == Dialect::Sqlite
        && !QDir().mkpath(QFileInfo(m_config.database.sqlitePath).absolutePath())) {
        error = QStringLiteral("cannot create the data folder for %1").arg(m_config.database.sqlitePath);
        return false;
    }
    {
        std::unique_ptr<Db> db = Db::connect(m_config.database, QStringLiteral("migrate"), error);
        if (!db)
            return false;
        Migrator migrator(*db);
        int applied = 0;
        if (!migrator.migrate(applied, error))
            return false;
        if (applied)
            qCInfo(lcStorage) << "applied" << applied << "schema migrations";
    }

    m_registry = std::make_unique<MetricsRegistry>();
    m_metrics = std::make_unique<ServerMetrics>(*m_registry);
    // The jobs thread may run a notification before the hub exists: it asks
    // through an atomic pointer, set below (nobody is online until then).
    m_jobs = std::make_unique<JobRuntime>(m_config, *m_registry, [this](qint64 u) {
        const LocalHub *hub = m_hubForJobs.load(std::memory_order_acquire);
        return hub && hub->isOnline(u);
    });
    if (!m_jobs->start(error))
        return false;
    std::optional<RedisUrl> redis;
    if (!m_config.redisUrl.isEmpty()) {
        redis = RedisUrl::parse(m_config.redisUrl, error);
        if (!redis)
            return false;
    }
    m_sessions = std::make_unique<SessionCache>();
    m_view = std::make_unique<PresenceView>();
    m_localHub = std::make_unique<LocalHub>(*m_view, &m_metrics->onlineUsers);
    m_hubForJobs.store(m_localHub.get(), std::memory_order_release);
    m_members = std::make_unique<MembershipCache>();
    m_users = std::make_unique<UserCache>();
    m_limiter = std::make_unique<RateLimiter>();
    m_rates = std::make_unique<RateGate>(*m_limiter);
    m_hasher = std::make_unique<PasswordHasher>(m_config.argon2MemoryKiB, m_config.argon2Iterations,
                                                m_config.hashThreads, m_config.hashQueueLimit);
    if (!m_hasher->usable()) {
        error = QStringLiteral("argon2id cannot hash with --argon2-memory-kib %1 --argon2-iterations %2")
                    .arg(m_config.argon2MemoryKiB)
                    .arg(m_config.argon2Iterations);
        return false;
    }

    m_readers = std::make_unique<DbPool>(m_config.database, m_config.dbReaders,
                                         QStringLiteral("db-read"), &m_metrics->dbQuery);
    if (!m_readers->start(error))
        return false;
    m_hellos = std::make_unique<BatchedLookup<qint64>>(*m_readers, &store::lastMessageIds);
    m_peers = std::make_unique<BatchedLookup<QList<qint64>>>(*m_readers, &store::peersOfUsers);
    m_localRecent = std::make_unique<LocalRecentMessages>();
    m_localDirectory = std::make_unique<LocalDirectoryCache>();
    m_delivery = std::make_unique<DeliveryService>(
        *m_localHub, *m_sessions, m_config.database, redis, m_config.instanceId, *m_metrics,
        *m_view, *m_limiter, *m_peers, *m_readers, *m_localRecent, *m_localDirectory);
    if (!m_delivery->start(error))
        return false;
    m_hub = std::make_unique<Hub>(*m_localHub, *m_sessions, *m_delivery);
    MessageWriter::Metrics wm{&m_metrics->messagesPersisted, &m_metrics->writerBatches,
                              &m_metrics->writerFailures,    &m_metrics->writerBatchSeconds,
                              &m_metrics->receiveToAck,      &m_metrics->dbQuery,
                              &m_metrics->writerRefused};
    CommittedBatchSink *committed = m_delivery.get();
    if (m_config.notify.enabled()) {
        m_notifyProducer = std::make_unique<notify::NotifyProducer>(
            *m_delivery, m_jobs->sink(), [hub = m_localHub.get()](qint64 u) { return hub->isOnline(u); },
            m_config.notify.batchMs);
        m_notifyProducer->start();
        committed = m_notifyProducer.get();
    }
    m_writer = std::make_unique<MessageWriter>(m_config.database, *committed, *m_members,
                                               m_config.writerBatchMax, m_config.writerJobsMax, wm);
    if (!m_writer->start(error))
        return false;
    m_auth = std::make_unique<Authenticator>(*m_sessions, *m_readers);
    // The stats series: one sample a second from the counters the hot paths
    // keep anyway (main thread; nothing is added to a message's path).
    m_statsHistory = std::make_unique<StatsHistory>();
    m_statsSampler = std::make_unique<StatsSampler>(
        *m_metrics, *m_statsHistory, [w = m_writer.get()] { return qint64(w->backlog()); });
    auto *statsTimer = new QTimer(this);
    statsTimer->setTimerType(Qt::PreciseTimer);
    connect(statsTimer, &QTimer::timeout, this, [this] {
        if (m_statsSampler)
            m_statsSampler->sample(nowMs());
        // The database's state for this instance's summary (its "state"):
        // one shared ping per --readyz-interval-ms at most.
        if (m_readiness)
            m_readiness->check(this, [](bool) {});
    });
    statsTimer->start(1000);
    m_sessionAudit = std::make_unique<SessionAudit>(*m_localHub, *m_sessions, *m_readers,
                                                    m_config.sessionRecheckSeconds);

    if (SharedState *shared = m_delivery->shared())
        m_rates->setShared(shared, [shared] { return shared->isUp(); });
    const DaemonConfig &c = m_config;
    m_startedAtMs = nowMs();
    // This instance for the console and the other instances' listings.
    auto instanceSummary = [this] {
        QByteArray out;
        JsonWriter w(out);
        w.beginObject().field("id", m_config.instanceId);
        w.field("version", QCoreApplication::applicationVersion());
        w.key("started_at").utf8(formatRfc3339Ms(m_startedAtMs));
        w.field("listen", QStringLiteral("%1:%2").arg(m_config.listenAddress.toString()).arg(m_port));
        w.field("connections", m_metrics->wsConnections.value());
        w.field("online_users", qint64(m_hub->usersOnlineHere()));
        w.field("writer_backlog", qint64(m_writer->backlog()));
        w.field("draining", bool(m_services->draining));
        w.field("state", instanceState());
        w.endObject();
        return out;
    };
    m_adminEvents = std::make_unique<FeedAdminEvents>(m_delivery->adminFeed());
    m_chat = std::make_unique<chat::Chat>(chat::ChatDeps{
        *m_readers, *m_writer, *m_hub, *m_sessions, *m_rates, *m_hasher, *m_members,
        m_delivery->recent(), m_delivery->directory(), *m_users, *m_auth, *m_hellos,
        chat::ChatSettings{c.sendRule, c.typingRule, c.conversationRule, c.registerRule, c.loginRule,
                           c.loginAddressRule, c.loginAccountRule, c.tokenTtlMs,
                           c.httpAddressRule, c.httpUserRule, c.wsOpenRule, c.adminRule},
        m_metrics->messagesReceived, m_metrics->rateLimited, *m_limiter, *m_delivery,
        m_metrics->wsConnections, c.instanceId, instanceSummary, m_adminEvents.get(),
        m_statsHistory.get(), m_jobs.get()});
    // Other instances' console questions are answered by the chat layer.
    m_delivery->cluster().setTimeoutMs(c.adminClusterTimeoutMs);
    m_delivery->cluster().setLocal(
        [admin = &m_chat->administration](const admin::Request &request, QObject *home,
                                           std::function<void(admin::Reply)> done) {
            admin->answerHere(request, home, std::move(done));
        });
    m_services.reset(new Services{m_config, *m_hub});
    m_services->instanceSummary = instanceSummary;
    m_connections = std::make_unique<ConnectionLimits>(
        ConnectionLimits::Caps{m_config.maxConnections, m_config.maxConnectionsPerAddress,
                               m_config.maxWebSocketsPerUser},
        *m_registry);
    m_wsDeps = std::make_unique<WsDeps>(WsDeps{
        WsSettings{c.frameRule, c.outgoingLimitBytes, c.instanceId, c.heartbeatSeconds,
                   c.authTimeoutMs, c.syncGraceMs},
        *m_metrics, *m_chat, *m_connections});
    m_readiness = std::make_unique<ReadinessProbe>(
        *m_readers, m_config.readyzIntervalMs, kReadyzTimeoutMs,
        m_registry->counter("sanayicin_readiness_pings_total",
                            "Database pings made for /readyz (at most one per --readyz-interval-ms)."));
    m_status = std::make_unique<DaemonStatus>(m_services->draining, *m_delivery, *m_readiness);
    m_httpDeps.reset(new HttpDeps{
        HttpSettings{c.requestLineLimit, c.headerLimit, c.headerCountLimit, c.bodyLimitBytes,
                     c.pipelineLimit, c.unsentLimitBytes, c.frameLimitBytes, c.httpIdleTimeoutMs,
                     c.requestTimeoutMs, c.lingerMs, c.trustedProxies, c.nativeWebSocket,
                     c.metricsToken, c.webRoot},
        *m_metrics, *m_chat, *m_status, m_connections.get()});
    m_services->http = m_httpDeps.get();

    MetricsRegistry &r = *m_registry;
    const QByteArray reloadsHelp = "SIGHUP reloads of the configuration file, by result.";
    m_reloadsApplied = &r.counter("sanayicin_config_reloads_total", reloadsHelp, "result=\"applied\"");
    m_reloadsFailed = &r.counter("sanayicin_config_reloads_total", reloadsHelp, "result=\"failed\"");
    r.callbackGauge("sanayicin_job_queue_depth", "Work waiting in the daemon's queues.",
                    [w = m_writer.get()] { return double(w->backlog()); }, "queue=\"writer\"");
    r.callbackGauge("sanayicin_job_queue_depth", "Work waiting in the daemon's queues.",
                    [p = m_readers.get()] { return double(p->queueDepth()); },
                    "queue=\"db_readers\"");
    PasswordHasher *hasher = m_hasher.get();
    r.callbackGauge("sanayicin_password_hash_waiting", "Password hashes waiting for a thread.",
                    [hasher] { return double(hasher->waiting()); });
    r.callbackGauge("sanayicin_password_hash_running", "Password hashes being computed.",
                    [hasher] { return double(hasher->running()); });
    hasher->setCounters(&r.counter("sanayicin_password_hash_refused_total",
                                   "Logins and registrations refused with 503: the hash queue was full."),
                        &r.counter("sanayicin_password_hash_dropped_total",
                                   "Queued password hashes dropped because their client had left."));
    hasher->setFailedCounter(&r.counter("sanayicin_password_hash_failed_total",
                                        "Password hashes argon2 failed (e.g. out of memory): "
                                        "that request got 500."));
    r.callbackGauge("sanayicin_session_cache_entries", "Tokens in the session cache.",
                    [s = m_sessions.get()] { return double(s->size()); });
    if (redis)
        r.callbackGauge("sanayicin_bridge_connected", "1 while the Redis bridge is connected.",
                        [d = m_delivery.get()] { return d->bridgeUp() ? 1.0 : 0.0; });
    if (SharedState *shared = m_delivery->shared())
        r.callbackGauge("sanayicin_redis_limits_connected",
                        "1 while the Redis connection for rate limits is up.",
                        [shared] { return shared->isUp() ? 1.0 : 0.0; });

    // With an operations listener, /metrics is served there only.
    m_router = std::make_unique<Router>();
    addAllRoutes(*m_router, !m_config.opsListen);
    int opsFd = -1;
    if (m_config.opsListen) {
        m_opsRouter = std::make_unique<Router>();
        addOperationsRoutes(*m_opsRouter, true);
        opsFd = openListeningSocket(m_config.opsListen->first, m_config.opsListen->second,
                                    kOpsBacklog, error, false);
        if (opsFd < 0)
            return false;
        m_opsPort = boundPort(opsFd);
    }

    m_systemd = SystemdLink::fromEnvironment([this] { return systemdStatus(); });
    int firstFd = openListeningSocket(m_config.listenAddress, m_config.listenPort,
                                      kListenBacklog, error);
    if (firstFd < 0)
        return false;
    m_port = boundPort(firstFd);
    for (int i = 0; i < m_config.networkThreads; ++i) {
        const int fd = i == 0 ? firstFd
                              : openListeningSocket(m_config.listenAddress, m_port,
                                                    kListenBacklog, error);
        if (fd < 0)
            return false;
        auto t = std::make_unique<NetworkThread>(*m_services, *m_wsDeps, *m_router, fd, i);
        if (i == 0 && opsFd >= 0)
            t->addOperationsListener(*m_opsRouter, opsFd);
        if (m_systemd)
            t->setHeartbeat(m_systemd->heartbeatFor(t->objectName()));
        t->startAndWait();
        m_network.push_back(std::move(t));
    }
    // The admin stream: its settings, this instance's summary and stats.
    m_delivery->adminFeed().configure(AdminFeed::Config{
        c.adminStreamBuffer, c.adminStreamConnectionsCap, m_services->instanceSummary,
        m_statsHistory.get(),
        &r.counter("sanayicin_admin_events_published_total",
                   "Reports and moderation actions told to the admin streams.")});
    r.callbackGauge("sanayicin_admin_streams", "Admin streams (GET /ws/admin) open here.",
                    [feed = &m_delivery->adminFeed()] { return double(feed->watchers()); });
    // Only now is the summary whole (the listener's port): other instances
    // list this one from its first heartbeat with it, sent at once.
    m_delivery->setSummaryProvider(m_services->instanceSummary);
    qCInfo(lcApp).noquote() << "sanayicind" << QCoreApplication::applicationVersion() << "instance"
                            << m_config.instanceId << "serving on"
                            << QStringLiteral("http://%1:%2/")
                                   .arg(m_config.listenAddress.toString())
                                   .arg(m_port)
                            << "with" << m_config.database.redacted();
    if (m_config.opsListen)
        qCInfo(lcApp).noquote() << "operations on"
                                << QStringLiteral("http://%1:%2/")
                                       .arg(m_config.opsListen->first.toString())
                                       .arg(m_opsPort);
    qCInfo(lcApp) << "connection caps:" << m_config.maxConnections << "in all,"
                  << m_config.maxConnectionsPerAddress << "per address,"
                  << m_config.maxWebSocketsPerUser << "WebSockets per user";
    if (m_systemd)
        announceWhenReady();
    return true;
}

void Daemon::announceWhenReady()
{
    if (m_draining || !m_systemd || m_systemd->isReady())
        return;
    m_readiness->check(this, [this](bool databaseUp) {
        if (m_draining || !m_systemd)
            return;
        const bool redisUp = !m_delivery->hasBridge() || m_delivery->bridgeUp();
        if (databaseUp && redisUp) {
            m_systemd->ready();
            return;
        }
        if (!m_toldNotReady) {
            QStringList down;
            if (!databaseUp)
                down << QStringLiteral("the database");
            if (!redisUp)
                down << QStringLiteral("Redis");
            const QString what = down.join(QStringLiteral(" and "));
            qCWarning(lcApp).noquote() << "not ready, no READY=1 for systemd yet:" << what
                                       << "not answering";
            m_systemd->startingStatus("starting: waiting for " + what.toUtf8());
        }
        m_toldNotReady = true;
        QTimer::singleShot(kReadyRetryMs, this, &Daemon::announceWhenReady);
    });
}

QByteArray Daemon::systemdStatus() const
{
    const qint64 open = m_connections ? m_connections->openConnections() : 0;
    const qint64 webSockets = m_metrics ? m_metrics->wsConnections.value() : 0;
    const qint64 backlog = m_writer ? m_writer->backlog() : 0;
    if (m_draining)
        return QStringLiteral("draining: %1 connections open, %2 messages to write")
            .arg(open)
            .arg(backlog)
            .toUtf8();
    QString s = QStringLiteral("serving %1 connections (%2 WebSockets, %3 users online), "
                               "writer backlog %4")
                    .arg(open)
                    .arg(webSockets)
                    .arg(m_hub ? qint64(m_hub->usersOnlineHere()) : 0)
                    .arg(backlog);
    if (m_lastReloadFailed)
        s += QStringLiteral("; the last reload failed, settings unchanged (see the journal)");
    return s.toUtf8();
}

QString Daemon::instanceState() const
{
    if (m_services && m_services->draining)
        return QStringLiteral("draining");
    if (m_readiness && !m_readiness->databaseUp())
        return QStringLiteral("database_down");
    if (m_delivery && m_delivery->hasBridge() && !m_delivery->bridgeUp())
        return QStringLiteral("redis_down");
    return QStringLiteral("ok");
}

void Daemon::drain()
{
    if (m_draining)
        return;
    m_draining = true;
    m_drainStartedNs = steadyNs();
    qCInfo(lcApp) << "draining: closing connections, finishing in-flight writes";
    if (m_services)
        m_services->draining = true;
    if (m_systemd)
        m_systemd->stopping();
    for (auto &t : m_network)
        t->stopListening();
    if (m_hub)
        m_hub->closeAllHere(1001, QStringLiteral("server shutting down"));
    finishDrain();
}

void Daemon::reloadWith(const std::function<std::optional<DaemonConfig>(QString &)> &load)
{
    if (m_systemd)
        m_systemd->reloading();
    QString why;
    if (const auto next = load(why))
        reload(*next);
    else
        reloadFailed(why);
    if (m_systemd)
        m_systemd->reloaded();
}

void Daemon::reload(const DaemonConfig &next)
{
    if (!m_connections) // not started
        return;
    const QList<ConfigChange> changes = configChanges(m_config, next);
    QStringList applied;
    for (const ConfigChange &c : changes) {
        if (c.live)
            applied << QStringLiteral("%1 %2 -> %3").arg(c.setting, c.from, c.to);
        else
            qCWarning(lcApp).noquote() << "reload:" << c.setting << "changed from" << c.from << "to"
                                       << c.to << "but needs a restart; keeping" << c.from;
    }
    const QString summary = applied.isEmpty() ? QStringLiteral("no live setting changed")
                                              : applied.join(QStringLiteral("; "));
    // Said at the level in force before or after, whichever shows it.
    const bool shownBefore = lcApp().isInfoEnabled();
    if (shownBefore)
        qCInfo(lcApp).noquote() << "reloaded the configuration:" << summary;
    applyLiveSettings(m_config, next);
    applyLogLevel(m_config.logLevel);
    m_connections->setCaps({m_config.maxConnections, m_config.maxConnectionsPerAddress,
                            m_config.maxWebSocketsPerUser});
    m_reloadsApplied->inc();
    m_lastReloadFailed = false;
    if (!shownBefore)
        qCInfo(lcApp).noquote() << "reloaded the configuration:" << summary;
}

void Daemon::reloadFailed(const QString &error)
{
    if (m_reloadsFailed)
        m_reloadsFailed->inc();
    m_lastReloadFailed = true;
    qCCritical(lcApp).noquote() << "reload failed, every setting stays as it was:" << error;
}

void Daemon::finishDrain()
{
    const bool busy = (m_writer && m_writer->backlog() > 0) || (m_readers && m_readers->queueDepth() > 0);
    const qint64 elapsedMs = (steadyNs() - m_drainStartedNs) / 1000000;
    if (busy && elapsedMs < m_config.drainTimeoutMs) {
        QTimer::singleShot(20, this, &Daemon::finishDrain);
        return;
    }
    if (busy)
        qCWarning(lcApp) << "drain timed out with work still queued";
    // Let acks, responses and close frames leave before the loops stop.
    QTimer::singleShot(kFlushMs, this, [this] {
        stopEverything();
        qCInfo(lcApp) << "stopped";
        QCoreApplication::exit(0);
    });
}

void Daemon::stopEverything()
{
    // First: replies to the main thread (session audit, readiness) are
    // dropped from now on, here, before what they would reach goes.
    Mailbox::closeHere();
    m_statsSampler.reset(); // it reads the writer
    m_sessionAudit.reset();
    if (m_writer)
        m_writer->stop(); // finishes what is queued
    m_notifyProducer.reset(); // nothing is committed any more
    for (auto &t : m_network) {
        t->quit();
        t->wait();
        if (m_systemd)
            m_systemd->forget(t->heartbeat());
    }
    m_network.clear();
    if (m_jobs)
        m_jobs->stop(); // finishes or gives back its jobs
    if (m_delivery)
        m_delivery->stop();
    if (m_readers)
        m_readers->stop();
}

} // namespace sanayicin
