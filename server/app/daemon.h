#pragma once

#include "daemon_config.h"

#include <QList>
#include <QObject>
#include <functional>
#include <atomic>
#include <memory>
#include <optional>
#include <vector>

namespace sanayicin {

class Authenticator;
class SessionAudit;
class DbPool;
class DeliveryService;
class Hub;
class LocalHub;
class MembershipCache;
class MessageWriter;
class MetricsRegistry;
class NetworkThread;
class PasswordHasher;
class PresenceView;
class RateLimiter;
class RateGate;
class RecentMessages;
class DirectoryCache;
class UserCache;
template<typename Value>
class BatchedLookup;
class Router;
class ConnectionLimits;
class Counter;
class JobRuntime;
namespace notify {
class NotifyProducer;
}
namespace chat {
struct Chat;
}
class ReadinessProbe;
class SystemdLink;
class DaemonStatus;
class FeedAdminEvents;
struct HttpDeps;
class SessionCache;
struct ServerMetrics;
class StatsHistory;
class StatsSampler;
struct Services;
struct WsDeps;

// The running daemon: builds the pieces in order, and takes them down in the
// reverse order on SIGTERM after draining (close code 1001, in-flight writes
// finished).
class Daemon : public QObject
{
    Q_OBJECT
public:
    explicit Daemon(DaemonConfig config);
    ~Daemon() override;

    bool start(QString &error);
    quint16 port() const { return m_port; }
    quint16 opsPort() const { return m_opsPort; }
    // Stops taking work, lets in-flight work finish, then quits the event loop.
    void drain();
    // SIGHUP: reads the configuration with `load` (nullopt and the reason
    // when it cannot) and takes it (reload) or keeps everything
    // (reloadFailed), between RELOADING=1 and READY=1 under systemd.
    void reloadWith(const std::function<std::optional<DaemonConfig>(QString &error)> &load);
    // Takes the live settings of `next` (log level, rate limits, limits,
    // caps), logs the others as needing a restart (config_reload.h).
    void reload(const DaemonConfig &next);
    // A configuration that cannot be read: keeps everything.
    void reloadFailed(const QString &error);

private:
    // Under systemd: READY=1 once /readyz would answer 200 (the database
    // answers, the Redis bridge is up when configured); asks again until so.
    void announceWhenReady();
    QByteArray systemdStatus() const;
    void finishDrain();
    // This instance's "state" in its summary (docs/protocol.md "Admin stream").
    QString instanceState() const;
    void stopEverything();

    DaemonConfig m_config;
    quint16 m_port = 0;
    quint16 m_opsPort = 0;
    std::unique_ptr<MetricsRegistry> m_registry;
    std::unique_ptr<ServerMetrics> m_metrics;
    std::unique_ptr<notify::NotifyProducer> m_notifyProducer;
    std::unique_ptr<JobRuntime> m_jobs; // the job queue (and its worker and scheduler when embedded)
    std::unique_ptr<StatsHistory> m_statsHistory; // the last hour, once a second
    std::unique_ptr<StatsSampler> m_statsSampler;
    std::unique_ptr<PresenceView> m_view;
    std::unique_ptr<LocalHub> m_localHub;
    std::atomic<const LocalHub *> m_hubForJobs{nullptr}; // m_localHub, for the jobs thread
    std::unique_ptr<Hub> m_hub;
    std::unique_ptr<MembershipCache> m_members;
    std::unique_ptr<UserCache> m_users;
    std::unique_ptr<SessionCache> m_sessions;
    std::unique_ptr<RateLimiter> m_limiter;
    std::unique_ptr<RateGate> m_rates;
    std::unique_ptr<RecentMessages> m_localRecent;
    std::unique_ptr<DirectoryCache> m_localDirectory;
    std::unique_ptr<PasswordHasher> m_hasher;
    std::unique_ptr<DbPool> m_readers;
    std::unique_ptr<BatchedLookup<qint64>> m_hellos;
    std::unique_ptr<BatchedLookup<QList<qint64>>> m_peers;
    std::unique_ptr<DeliveryService> m_delivery;
    std::unique_ptr<MessageWriter> m_writer;
    std::unique_ptr<Authenticator> m_auth;
    std::unique_ptr<SessionAudit> m_sessionAudit;
    std::unique_ptr<FeedAdminEvents> m_adminEvents;
    std::unique_ptr<chat::Chat> m_chat;
    std::unique_ptr<Services> m_services;
    std::unique_ptr<Router> m_router;
    std::unique_ptr<Router> m_opsRouter;
    std::unique_ptr<ConnectionLimits> m_connections;
    std::unique_ptr<ReadinessProbe> m_readiness;
    std::unique_ptr<WsDeps> m_wsDeps;
    std::unique_ptr<DaemonStatus> m_status;
    std::unique_ptr<HttpDeps> m_httpDeps;
    std::vector<std::unique_ptr<NetworkThread>> m_network;
    std::unique_ptr<SystemdLink> m_systemd; // null unless NOTIFY_SOCKET is set
    Counter *m_reloadsApplied = nullptr;
    Counter *m_reloadsFailed = nullptr;
    bool m_draining = false;
    bool m_lastReloadFailed = false;
    bool m_toldNotReady = false;
    qint64 m_drainStartedNs = 0;
    qint64 m_startedAtMs = 0;
};

} // namespace sanayicin
