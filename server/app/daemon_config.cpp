#include "daemon_config.h"

#include "logging/log_line.h"

#include <QDir>
#include <QHostInfo>
#include <QProcessEnvironment>
#include <QThread>
#include <sys/resource.h>

namespace sanayicin {

namespace {

OptionSpec text(const char *name, const char *valueName, QString def, const char *help)
{
    return {QLatin1StringView(name), QLatin1StringView(valueName), std::move(def),
            QLatin1StringView(help), OptionKind::String, 0, 0};
}

OptionSpec number(const char *name, qint64 def, qint64 min, qint64 max, const char *help)
{
    return {QLatin1StringView(name), QStringLiteral("N"), QString::number(def),
            QLatin1StringView(help), OptionKind::Integer, min, max};
}

OptionSpec decimal(const char *name, double def, const char *help)
{
    return {QLatin1StringView(name), QStringLiteral("N"), QString::number(def),
            QLatin1StringView(help), OptionKind::Decimal, 0, 0};
}

bool readRate(const Settings &s, const char *rateName, const char *burstName, Live<RateRule> &out,
              QString &error)
{
    // Finite numbers of at least 0 already (OptionKind::Decimal).
    RateRule rule;
    rule.ratePerSecond = s.decimal(QLatin1StringView(rateName));
    rule.burst = s.decimal(QLatin1StringView(burstName));
    if (rule.ratePerSecond <= 0 || rule.burst < 1) {
        error = QStringLiteral("%1 and %2 must be positive numbers (burst at least 1)")
                    .arg(QLatin1StringView(rateName), QLatin1StringView(burstName));
        return false;
    }
    out = rule;
    return true;
}

// "ADDR:PORT", IPv6 in brackets.
std::optional<std::pair<QHostAddress, quint16>> parseListen(const QString &text)
{
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    bool portOk = false;
    const uint port = colon > 0 ? text.mid(colon + 1).toUInt(&portOk) : 0;
    QString host = colon > 0 ? text.left(colon) : QString();
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    QHostAddress address;
    if (!portOk || port > 65535 || !address.setAddress(host))
        return std::nullopt;
    return std::pair{address, quint16(port)};
}

// Descriptors the daemon needs besides its clients: database and Redis
// connections, listening sockets, epoll and event fds, files.
constexpr qint64 kReservedDescriptors = 128;

qint64 connectionsTheFileLimitAllows()
{
    rlimit rl{};
    if (::getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
        return 1000000;
    return std::max<qint64>(16, qint64(rl.rlim_cur) - kReservedDescriptors);
}

} // namespace

QList<OptionSpec> DaemonConfig::options()
{
    const int cores = std::max(1, QThread::idealThreadCount());
    QList<OptionSpec> out{
        text("listen", "ADDR:PORT", QStringLiteral("127.0.0.1:8080"), "HTTP and WebSocket address."),
        text("database", "URL", {},
             "postgresql://user:pass@host:port[,host2:port2...]/db[?libpq options] or "
             "sqlite:///path (default: an SQLite file in the data folder)."),
        text("redis", "URL", {},
             "redis://[[user]:pass@]host:port/db or "
             "redis+sentinel://[[user]:pass@]host:port[,host2:port2...]/master[/db]; none: one "
             "instance, in-process."),
        text("instance-id", "NAME", {}, "Name in hello, metrics and the console (default host:port)."),
        text("data-dir", "PATH", QStringLiteral("./data"), "Folder for the embedded database."),
        text("log-level", "LEVEL", QStringLiteral("info"), "debug, info, warning or error."),
        text("log-format", "FORMAT", QStringLiteral("auto"),
             "Log lines on stderr: text, journal (journald's <N> priority prefixes), json (one "
             "object per line) or auto (journal when stderr is the journal, else text)."),
        number("threads", cores, 1, 64, "Network threads (event loops on SO_REUSEPORT sockets)."),
        number("db-readers", 2, 1, 64, "Database connections for reads."),
        number("writer-batch-max", 1000, 1, 100000, "Most messages committed in one transaction."),
        number("writer-jobs-max", 10000, 1, 10000000,
               "Most read-cursor updates waiting for the writer; beyond, `unavailable`."),
        number("hash-threads", cores, 1, 64, "Threads for password hashing."),
        number("frame-limit", 64 * 1024, 1024, 16 * 1024 * 1024,
               "Largest WebSocket message (all its fragments), bytes; past it: close 1009."),
        number("body-limit", 64 * 1024, 1024, 16 * 1024 * 1024, "Largest HTTP body, bytes."),
        number("outgoing-limit", 4 * 1024 * 1024, 16 * 1024, 1024 * 1024 * 1024,
               "Unsent bytes a WebSocket may hold before it is closed with 1008."),
        number("heartbeat", 30, 1, 3600, "Seconds between keep-alives (heartbeat_s)."),
        number("auth-timeout-ms", 10000, 100, 600000, "Time for the auth frame."),
        number("sync-grace-ms", 1000, 0, 60000,
               "After hello, live messages wait this long for a first sync (see protocol.md)."),
        number("http-idle-timeout-ms", 60000, 1000, 3600000, "Idle HTTP connections close."),
        number("drain-timeout-ms", 10000, 0, 600000, "Longest wait for in-flight work on SIGTERM."),
        number("http-request-line-limit", 8 * 1024, 256, 1024 * 1024,
               "Longest HTTP request line, bytes (beyond: 414)."),
        number("http-header-limit", 16 * 1024, 1024, 1024 * 1024,
               "Largest HTTP header section, bytes (beyond: 431; one line is at most 8 KiB)."),
        number("http-header-count-limit", 100, 1, 100, "Most HTTP header lines (beyond: 431)."),
        number("http-request-timeout-ms", 30000, 100, 3600000,
               "Time for a whole HTTP request from its first byte (beyond: 408)."),
        number("http-linger-ms", 2000, 0, 60000,
               "After an error that closes a connection, how long unread input is discarded "
               "so that the client can read the answer."),
        number("http-pipeline-limit", 32, 1, 100000,
               "Unanswered requests on one connection before it is no longer read."),
        number("http-unsent-limit", 1024 * 1024, 16 * 1024, 1024 * 1024 * 1024,
               "Unsent response bytes on one connection before it is no longer read."),
        number("max-connections", 0, 0, 100000000,
               "Open client connections (HTTP and WebSocket) per instance; 0: the open-file "
               "limit less 128 (beyond: 503)."),
        number("max-connections-per-address", 1000, 1, 100000000,
               "Open connections per client address (beyond: 503)."),
        number("max-websockets-per-user", 256, 1, 100000000,
               "Open WebSockets per user on one instance (beyond: close 1008)."),
        decimal("ws-open-rate", 20, "New WebSockets a second per client address."),
        decimal("ws-open-burst", 200, "New WebSocket burst per client address."),
        decimal("admin-rate", 2, "Moderation actions a second per administrator (beyond: 429)."),
        decimal("admin-burst", 60, "Moderation action burst per administrator."),
        number("readyz-interval-ms", 1000, 0, 60000,
               "/readyz asks the database at most once per this many ms."),
        text("ops-listen", "ADDR:PORT", {},
             "Operations listener for /healthz, /readyz and /metrics (e.g. 127.0.0.1:9090); "
             "with it the public listener no longer serves /metrics."),
        text("metrics-token", "TOKEN", {},
             "When set, /metrics needs \"Authorization: Bearer TOKEN\"."),
        decimal("send-rate", 20, "Messages a second per user."),
        decimal("send-burst", 40, "Message burst per user."),
        decimal("typing-rate", 2, "typing frames a second per user and conversation."),
        decimal("typing-burst", 2, "typing burst."),
        decimal("frame-rate", 50, "WebSocket frames a second per connection, of any type."),
        decimal("frame-burst", 200,
                "Frame burst per connection; past it rate_limited, and after as many more "
                "refused in a row, close 1008."),
        decimal("login-rate", 10.0 / 60.0, "Logins a second per address and username."),
        decimal("login-burst", 10, "Login burst."),
        decimal("login-address-rate", 30.0 / 60.0, "Logins a second per client address, any username."),
        decimal("login-address-burst", 30, "Login burst per client address."),
        decimal("login-account-rate", 30.0 / 60.0, "Logins a second per username, from any address."),
        decimal("login-account-burst", 30, "Login burst per username."),
        decimal("register-rate", 10.0 / 60.0, "Registrations a second per client address."),
        decimal("register-burst", 20, "Registration burst per client address."),
        decimal("conversation-rate", 10.0 / 60.0, "New conversations a second per user."),
        decimal("conversation-burst", 30, "New-conversation burst per user."),
        number("hash-queue", 64, 1, 100000,
               "Password hashes that may wait for a hash thread; past it login and register "
               "answer 503 with Retry-After."),
        number("session-recheck-s", 60, 0, 86400,
               "Seconds between re-reads of the tokens of open WebSockets (0: never); a "
               "revoked one closes."),
        number("admin-cluster-timeout-ms", 1000, 100, 10000,
               "How long the console's cluster-wide listings wait for each instance; one "
               "that has not answered by then is listed as \"timeout\"."),
        number("admin-stream-buffer", 300, 10, 100000,
               "Frames of the admin stream kept so that a console that reconnects resumes "
               "(GET /ws/admin?stream=&after=)."),
        number("admin-stream-connections-cap", 500, 1, 100000,
               "Connections opened and closed in one second past which the admin stream "
               "sends connections_reset instead of the list."),
        text("worker-queues", "LIST", QStringLiteral("maintenance,notify"),
             "Job queues a worker takes jobs from, comma-separated."),
        number("worker-concurrency", 4, 1, 1000, "Jobs a worker runs at once."),
        number("worker-poll-ms", 1000, 10, 60000, "How often an idle worker looks for jobs."),
        number("worker-grace-ms", 10000, 0, 3600000,
               "On SIGTERM, how long a worker lets running jobs finish before it gives them back."),
        number("jobs-visibility-ms", 60000, 100, 86400000,
               "A claimed job its worker has not kept alive this long is claimed by another."),
        number("jobs-max-attempts", 5, 1, 1000, "Runs of a job before it becomes a dead letter."),
        number("jobs-backoff-ms", 1000, 1, 86400000,
               "Delay before the first retry of a failed job; doubled at each attempt."),
        number("jobs-backoff-max-ms", 600000, 1, 86400000, "Longest delay between retries."),
        number("scheduler-lease-ms", 10000, 100, 600000,
               "Time to live of the active scheduler's lease (renewed every third of it)."),
        number("purge-interval-s", 600, 1, 86400, "How often expired sessions are purged."),
        number("retention-days", 0, 0, 36500,
               "Messages older than this many days are deleted (reported ones kept); 0: never."),
        number("rollup-interval-s", 3600, 1, 86400,
               "How often yesterday's and today's statistics are rolled up into daily_stats."),
        decimal("http-user-rate", 50, "HTTP requests a second per user."),
        decimal("http-user-burst", 200, "HTTP burst per user."),
        decimal("http-address-rate", 200, "HTTP requests a second per client address."),
        decimal("http-address-burst", 1000, "HTTP burst per client address."),
        number("argon2-memory-kib", 19456, 8, 4 * 1024 * 1024, "argon2id memory cost."),
        number("argon2-iterations", 2, 1, 100, "argon2id time cost."),
        number("token-ttl-days", 30, 1, 3650, "Lifetime of a login token."),
        text("trusted-proxies", "ADDRS", QStringLiteral("127.0.0.1,::1"),
             "Proxies whose X-Forwarded-For / X-Real-IP are believed."),
        text("web-root", "PATH", {}, "Serve the web page from this folder instead of the built-in."),
        text("websocket", "KIND", QStringLiteral("native"),
             "WebSocket implementation: native (ours, on the raw socket, a few hundred bytes "
             "per idle connection) or qt (QtWebSockets, for diagnosis; Qt 6.4 accepts unmasked "
             "client frames, refuses a character split between fragments and close codes "
             "1012-1014, and answers a bad close reason with 1007: docs/rfc6455.md)."),
        text("event-loop", "KIND", QStringLiteral("epoll"),
             "Network threads' event loop: epoll (cost grows with ready sockets) or qt "
             "(Qt's own, which polls every socket on each wake-up)."),
    };
    out += notify::NotifySettings::options(); // docs/operations.md, "Webhook notifications"
    return out;
}

std::optional<DaemonConfig> DaemonConfig::fromSettings(const Settings &s, QString &error)
{
    DaemonConfig c;
    const QString listen = s.string(QStringLiteral("listen"));
    const auto address = parseListen(listen);
    if (!address) {
        error = QStringLiteral("listen: expected ADDR:PORT such as 127.0.0.1:8080, got \"%1\"").arg(listen);
        return std::nullopt;
    }
    c.listenAddress = address->first;
    c.listenPort = address->second;
    const uint port = c.listenPort;
    c.dataDir = QDir(s.string(QStringLiteral("data-dir"))).absolutePath();
    auto db = DatabaseUrl::parse(s.string(QStringLiteral("database")), c.dataDir, error);
    if (!db)
        return std::nullopt;
    c.database = *db;
    c.redisUrl = s.string(QStringLiteral("redis"));
    c.instanceId = s.string(QStringLiteral("instance-id"));
    if (c.instanceId.isEmpty())
        c.instanceId = QHostInfo::localHostName() + QLatin1Char(':') + QString::number(port);

    c.logLevel = s.string(QStringLiteral("log-level"));
    c.logFormat = s.string(QStringLiteral("log-format"));
    if (!parseLogFormat(c.logFormat, false)) {
        error = QStringLiteral("log-format must be auto, text, journal or json, got \"%1\"").arg(c.logFormat);
        return std::nullopt;
    }
    c.networkThreads = int(s.integer(QStringLiteral("threads")));
    c.dbReaders = int(s.integer(QStringLiteral("db-readers")));
    c.writerBatchMax = int(s.integer(QStringLiteral("writer-batch-max")));
    c.writerJobsMax = int(s.integer(QStringLiteral("writer-jobs-max")));
    c.hashThreads = int(s.integer(QStringLiteral("hash-threads")));
    c.frameLimitBytes = s.integer(QStringLiteral("frame-limit"));
    c.bodyLimitBytes = s.integer(QStringLiteral("body-limit"));
    c.outgoingLimitBytes = s.integer(QStringLiteral("outgoing-limit"));
    c.heartbeatSeconds = int(s.integer(QStringLiteral("heartbeat")));
    c.authTimeoutMs = int(s.integer(QStringLiteral("auth-timeout-ms")));
    c.syncGraceMs = int(s.integer(QStringLiteral("sync-grace-ms")));
    c.httpIdleTimeoutMs = int(s.integer(QStringLiteral("http-idle-timeout-ms")));
    c.drainTimeoutMs = int(s.integer(QStringLiteral("drain-timeout-ms")));
    c.requestLineLimit = int(s.integer(QStringLiteral("http-request-line-limit")));
    c.headerLimit = int(s.integer(QStringLiteral("http-header-limit")));
    c.headerCountLimit = int(s.integer(QStringLiteral("http-header-count-limit")));
    c.requestTimeoutMs = int(s.integer(QStringLiteral("http-request-timeout-ms")));
    c.lingerMs = int(s.integer(QStringLiteral("http-linger-ms")));
    c.pipelineLimit = int(s.integer(QStringLiteral("http-pipeline-limit")));
    c.unsentLimitBytes = s.integer(QStringLiteral("http-unsent-limit"));
    c.maxConnections = s.integer(QStringLiteral("max-connections"));
    if (c.maxConnections == 0)
        c.maxConnections = connectionsTheFileLimitAllows();
    c.maxConnectionsPerAddress = int(s.integer(QStringLiteral("max-connections-per-address")));
    c.maxWebSocketsPerUser = int(s.integer(QStringLiteral("max-websockets-per-user")));
    c.readyzIntervalMs = int(s.integer(QStringLiteral("readyz-interval-ms")));
    const QString ops = s.string(QStringLiteral("ops-listen"));
    if (!ops.isEmpty()) {
        c.opsListen = parseListen(ops);
        if (!c.opsListen) {
            error = QStringLiteral("ops-listen: expected ADDR:PORT such as 127.0.0.1:9090, got \"%1\"").arg(ops);
            return std::nullopt;
        }
    }
    c.metricsToken = s.string(QStringLiteral("metrics-token"));
    if (!readRate(s, "send-rate", "send-burst", c.sendRule, error)
        || !readRate(s, "typing-rate", "typing-burst", c.typingRule, error)
        || !readRate(s, "frame-rate", "frame-burst", c.frameRule, error)
        || !readRate(s, "login-rate", "login-burst", c.loginRule, error)
        || !readRate(s, "login-address-rate", "login-address-burst", c.loginAddressRule, error)
        || !readRate(s, "login-account-rate", "login-account-burst", c.loginAccountRule, error)
        || !readRate(s, "register-rate", "register-burst", c.registerRule, error)
        || !readRate(s, "conversation-rate", "conversation-burst", c.conversationRule, error)
        || !readRate(s, "http-user-rate", "http-user-burst", c.httpUserRule, error)
        || !readRate(s, "http-address-rate", "http-address-burst", c.httpAddressRule, error)
        || !readRate(s, "ws-open-rate", "ws-open-burst", c.wsOpenRule, error)
        || !readRate(s, "admin-rate", "admin-burst", c.adminRule, error))
        return std::nullopt;
    c.hashQueueLimit = int(s.integer(QStringLiteral("hash-queue")));
    c.sessionRecheckSeconds = int(s.integer(QStringLiteral("session-recheck-s")));
    c.adminClusterTimeoutMs = int(s.integer(QStringLiteral("admin-cluster-timeout-ms")));
    c.adminStreamBuffer = int(s.integer(QStringLiteral("admin-stream-buffer")));
    c.adminStreamConnectionsCap = int(s.integer(QStringLiteral("admin-stream-connections-cap")));
    c.workerQueues = s.string(QStringLiteral("worker-queues")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (QString &q : c.workerQueues)
        q = q.trimmed();
    c.workerConcurrency = int(s.integer(QStringLiteral("worker-concurrency")));
    c.workerPollMs = int(s.integer(QStringLiteral("worker-poll-ms")));
    c.workerGraceMs = int(s.integer(QStringLiteral("worker-grace-ms")));
    c.jobsVisibilityMs = s.integer(QStringLiteral("jobs-visibility-ms"));
    c.jobsMaxAttempts = int(s.integer(QStringLiteral("jobs-max-attempts")));
    c.jobsBackoffMs = s.integer(QStringLiteral("jobs-backoff-ms"));
    c.jobsBackoffMaxMs = s.integer(QStringLiteral("jobs-backoff-max-ms"));
    c.schedulerLeaseMs = s.integer(QStringLiteral("scheduler-lease-ms"));
    c.purgeIntervalMs = s.integer(QStringLiteral("purge-interval-s")) * 1000;
    c.retentionDays = int(s.integer(QStringLiteral("retention-days")));
    c.rollupIntervalMs = s.integer(QStringLiteral("rollup-interval-s")) * 1000;
    c.argon2MemoryKiB = quint32(s.integer(QStringLiteral("argon2-memory-kib")));
    c.argon2Iterations = quint32(s.integer(QStringLiteral("argon2-iterations")));
    c.tokenTtlMs = s.integer(QStringLiteral("token-ttl-days")) * 24 * 3600 * 1000;
    const QStringList proxies =
        s.string(QStringLiteral("trusted-proxies")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &p : proxies) {
        QHostAddress a;
        if (!a.setAddress(p.trimmed())) {
            error = QStringLiteral("trusted-proxies: \"%1\" is not an address").arg(p);
            return std::nullopt;
        }
        c.trustedProxies << a;
    }
    c.webRoot = s.string(QStringLiteral("web-root"));
    const QString loop = s.string(QStringLiteral("event-loop"));
    if (loop != u"epoll" && loop != u"qt") {
        error = QStringLiteral("event-loop must be epoll or qt, got \"%1\"").arg(loop);
        return std::nullopt;
    }
    c.epollLoop = loop == u"epoll";
    const QString ws = s.string(QStringLiteral("websocket"));
    if (ws != u"native" && ws != u"qt") {
        error = QStringLiteral("websocket must be native or qt, got \"%1\"").arg(ws);
        return std::nullopt;
    }
    c.nativeWebSocket = ws == u"native";
    auto notify = notify::NotifySettings::fromSettings(s, QProcessEnvironment::systemEnvironment(), error);
    if (!notify)
        return std::nullopt;
    c.notify = std::move(*notify);
    return c;
}

} // namespace sanayicin
