#pragma once

#include "limits/rate_limiter.h"
#include "settings/settings.h"
#include "storage/database_url.h"

#include <QHostAddress>
#include <QList>
#include <QString>
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

    qint64 frameLimitBytes = 64 * 1024;
    qint64 bodyLimitBytes = 64 * 1024;
    qint64 outgoingLimitBytes = 4 * 1024 * 1024;
    int heartbeatSeconds = 30;
    int authTimeoutMs = 10000;
    int syncGraceMs = 1000;
    int httpIdleTimeoutMs = 60000;
    int drainTimeoutMs = 10000;

    RateRule sendRule{20, 40};
    RateRule typingRule{2, 2};
    RateRule frameRule{50, 200}; // every WebSocket frame, per connection
    RateRule loginRule{10.0 / 60.0, 10};
    RateRule httpUserRule{50, 200};
    RateRule httpAddressRule{200, 1000};

    quint32 argon2MemoryKiB = 19456;
    quint32 argon2Iterations = 2;
    qint64 tokenTtlMs = 30LL * 24 * 3600 * 1000;
    QList<QHostAddress> trustedProxies;
    QString logLevel;
    QString webRoot; // empty: the page built into the binary
    bool epollLoop = true;       // network threads on EpollEventDispatcher, else Qt's own
    bool nativeWebSocket = true; // our RFC 6455 on the raw socket, else QtWebSockets

    static QList<OptionSpec> options();
    static std::optional<DaemonConfig> fromSettings(const Settings &settings, QString &error);
};

} // namespace sanayicin
