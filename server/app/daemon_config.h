#pragma once

#include "limits/rate_limiter.h"
#include "notify/notify_settings.h"
#include "settings/live.h"
#include "settings/settings.h"
#include "storage/database_url.h"

#include <QHostAddress>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace sanayicin {

// Every setting of the daemon, typed. The spec's own options come first.
struct DaemonConfig
{
    QHostAddress listenAddress;
    quint16 listenPort = 8080;
    DatabaseUrl database;
    QString redisUrl;
    QString instanceId;
    QString dataDir;

    int networkThreads = 2;
    int dbReaders = 2;
    int writerBatchMax = 1000;
    int writerJobsMax = 10000; // read cursors waiting for the writer
    int hashThreads = 2;

    // Live<>: SIGHUP may change these while other threads read them
    // (config_reload.cpp); a plain field needs a restart.
    Live<qint64> frameLimitBytes = 64 * 1024;
    Live<qint64> bodyLimitBytes = 64 * 1024;
    Live<qint64> outgoingLimitBytes = 4 * 1024 * 1024;
    int heartbeatSeconds = 30;
    int authTimeoutMs = 10000;
    int syncGraceMs = 1000;
    int httpIdleTimeoutMs = 60000;
    int drainTimeoutMs = 10000;

    // HTTP requests as they arrive, and connections (docs/operations.md).
    Live<int> requestLineLimit = 8 * 1024;
    Live<int> headerLimit = 16 * 1024;
    Live<int> headerCountLimit = 100;
    int requestTimeoutMs = 30000;
    int lingerMs = 2000;
    Live<int> pipelineLimit = 32;
    Live<qint64> unsentLimitBytes = 1024 * 1024;
    qint64 maxConnections = 0; // resolved from RLIMIT_NOFILE when 0
    int maxConnectionsPerAddress = 1000;
    int maxWebSocketsPerUser = 256;
    Live<RateRule> wsOpenRule = RateRule{20, 200};
    Live<RateRule> adminRule = RateRule{2, 60}; // moderation actions per administrator
    int readyzIntervalMs = 1000;
    // Operations listener: /healthz, /readyz, /metrics (none when unset).
    std::optional<std::pair<QHostAddress, quint16>> opsListen;
    QString metricsToken;

    Live<RateRule> sendRule = RateRule{20, 40};
    Live<RateRule> typingRule = RateRule{2, 2};
    Live<RateRule> frameRule = RateRule{50, 200}; // every WebSocket frame, per connection
    Live<RateRule> loginRule = RateRule{10.0 / 60.0, 10};
    Live<RateRule> loginAddressRule = RateRule{30.0 / 60.0, 30}; // any username from one address
    Live<RateRule> loginAccountRule = RateRule{30.0 / 60.0, 30}; // one username from any address
    Live<RateRule> registerRule = RateRule{10.0 / 60.0, 20};     // per client address
    Live<RateRule> conversationRule = RateRule{10.0 / 60.0, 30}; // new conversations per user
    int hashQueueLimit = 64;                    // argon2 jobs that may wait
    int sessionRecheckSeconds = 60;             // open WebSockets' tokens re-read
    int adminClusterTimeoutMs = 1000;           // the console's wait for other instances
    int adminStreamBuffer = 300;                // admin stream frames kept for resuming
    int adminStreamConnectionsCap = 500;        // connection events per tick before a reset
    Live<RateRule> httpUserRule = RateRule{50, 200};
    Live<RateRule> httpAddressRule = RateRule{200, 1000};

    // Jobs (server/jobs): the worker, the queue's rules, the scheduler.
    QStringList workerQueues;
    int workerConcurrency = 4;
    int workerPollMs = 200;
    int workerGraceMs = 10000;
    qint64 jobsVisibilityMs = 60000;
    int jobsMaxAttempts = 5;
    qint64 jobsBackoffMs = 1000;
    qint64 jobsBackoffMaxMs = 600000;
    qint64 schedulerLeaseMs = 10000;
    qint64 purgeIntervalMs = 600000;
    int retentionDays = 0; // 0: off
    qint64 rollupIntervalMs = 3600000;

    quint32 argon2MemoryKiB = 19456;
    quint32 argon2Iterations = 2;
    qint64 tokenTtlMs = 30LL * 24 * 3600 * 1000;
    QList<QHostAddress> trustedProxies;
    QString logLevel;
    QString logFormat = QStringLiteral("auto"); // auto, text, journal or json (log_line.h)
    QString webRoot; // empty: the page built into the binary
    bool epollLoop = true;       // network threads on EpollEventDispatcher, else Qt's own
    bool nativeWebSocket = true; // our RFC 6455 on the raw socket, else QtWebSockets
    notify::NotifySettings notify; // webhook notifications (--notify-*; off without a URL)

    static QList<OptionSpec> options();
    static std::optional<DaemonConfig> fromSettings(const Settings &settings, QString &error);
};

} // namespace sanayicin
