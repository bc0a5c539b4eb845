#include "config_reload.h"

#include "bridge/redis_url.h"

#include <QProcessEnvironment>
#include <QStringList>

namespace sanayicin {

namespace {

QString shown(int v) { return QString::number(v); }
QString shown(qint64 v) { return QString::number(v); }
QString shown(quint32 v) { return QString::number(v); }
QString shown(bool v) { return v ? QStringLiteral("true") : QStringLiteral("false"); }
QString shown(const QString &v) { return v; }
QString shown(const RateRule &r)
{
    return QStringLiteral("%1/s burst %2").arg(r.ratePerSecond).arg(r.burst);
}
QString shown(const QList<QHostAddress> &list)
{
    QStringList out;
    for (const QHostAddress &a : list)
        out << a.toString();
    return out.join(QLatin1Char(','));
}
QString shown(const std::optional<std::pair<QHostAddress, quint16>> &listen)
{
    return listen ? QStringLiteral("%1:%2").arg(listen->first.toString()).arg(listen->second)
                  : QStringLiteral("(none)");
}
QString shown(const DatabaseUrl &url) { return url.redacted(); }
template<typename T>
QString shown(const Live<T> &v)
{
    return shown(v.get());
}

template<typename T>
bool same(const T &a, const T &b)
{
    return a == b;
}
template<typename T>
bool same(const Live<T> &a, const Live<T> &b)
{
    return a.get() == b.get();
}

// One row per setting: how to compare and show it, and, for a live one, how
// to take the new value.
struct Field
{
    const char *name;
    bool (*differs)(const DaemonConfig &, const DaemonConfig &);
    QString (*show)(const DaemonConfig &);
    void (*apply)(DaemonConfig &running, const DaemonConfig &next); // null: restart only
};

template<auto Member>
bool differs(const DaemonConfig &a, const DaemonConfig &b)
{
    return !same(a.*Member, b.*Member);
}

template<auto Member>
QString show(const DaemonConfig &c)
{
    return shown(c.*Member);
}

template<auto Member>
void take(DaemonConfig &running, const DaemonConfig &next)
{
    running.*Member = next.*Member;
}

template<auto Member>
constexpr Field live(const char *name)
{
    return {name, &differs<Member>, &show<Member>, &take<Member>};
}

template<auto Member>
constexpr Field restart(const char *name)
{
    return {name, &differs<Member>, &show<Member>, nullptr};
}

QString hidden(const DaemonConfig &) { return QStringLiteral("(hidden)"); }

QString showListen(const DaemonConfig &c)
{
    return QStringLiteral("%1:%2").arg(c.listenAddress.toString()).arg(c.listenPort);
}

bool listenDiffers(const DaemonConfig &a, const DaemonConfig &b)
{
    return a.listenAddress != b.listenAddress || a.listenPort != b.listenPort;
}

QString showRedis(const DaemonConfig &c)
{
    if (c.redisUrl.isEmpty())
        return QStringLiteral("(none)");
    QString error;
    const auto url = RedisUrl::parse(c.redisUrl, error);
    return url ? url->redacted() : QStringLiteral("(not a Redis URL)");
}

bool notifyDiffers(const DaemonConfig &a, const DaemonConfig &b)
{
    const notify::NotifySettings &x = a.notify, &y = b.notify;
    return x.enabled() != y.enabled() || (x.url && x.url->url != y.url->url) || x.secret != y.secret
        || x.batchMs != y.batchMs || x.connectTimeoutMs != y.connectTimeoutMs
        || x.totalTimeoutMs != y.totalTimeoutMs || x.previewChars != y.previewChars;
}

QString showNotify(const DaemonConfig &c)
{
    // The query may hold the receiver's token and the secret is never shown.
    const notify::NotifySettings &n = c.notify;
    if (!n.url)
        return QStringLiteral("(off)");
    return QStringLiteral("%1 batch %2 ms, timeouts %3/%4 ms, preview %5")
        .arg(n.url->redacted())
        .arg(n.batchMs)
        .arg(n.connectTimeoutMs)
        .arg(n.totalTimeoutMs)
        .arg(n.previewChars);
}

using C = DaemonConfig;

// In the order of DaemonConfig::options().
const Field kFields[] = {
    {"listen", &listenDiffers, &showListen, nullptr},
    restart<&C::database>("database"),
    {"redis", &differs<&C::redisUrl>, &showRedis, nullptr},
    restart<&C::instanceId>("instance-id"),
    restart<&C::dataDir>("data-dir"),
    live<&C::logLevel>("log-level"),
    restart<&C::logFormat>("log-format"),
    restart<&C::networkThreads>("threads"),
    restart<&C::dbReaders>("db-readers"),
    restart<&C::writerBatchMax>("writer-batch-max"),
    restart<&C::writerJobsMax>("writer-jobs-max"),
    restart<&C::hashThreads>("hash-threads"),
    live<&C::frameLimitBytes>("frame-limit"),
    live<&C::bodyLimitBytes>("body-limit"),
    live<&C::outgoingLimitBytes>("outgoing-limit"),
    restart<&C::heartbeatSeconds>("heartbeat"),
    restart<&C::authTimeoutMs>("auth-timeout-ms"),
    restart<&C::syncGraceMs>("sync-grace-ms"),
    restart<&C::httpIdleTimeoutMs>("http-idle-timeout-ms"),
    restart<&C::drainTimeoutMs>("drain-timeout-ms"),
    live<&C::requestLineLimit>("http-request-line-limit"),
    live<&C::headerLimit>("http-header-limit"),
    live<&C::headerCountLimit>("http-header-count-limit"),
    restart<&C::requestTimeoutMs>("http-request-timeout-ms"),
    restart<&C::lingerMs>("http-linger-ms"),
    live<&C::pipelineLimit>("http-pipeline-limit"),
    live<&C::unsentLimitBytes>("http-unsent-limit"),
    live<&C::maxConnections>("max-connections"),
    live<&C::maxConnectionsPerAddress>("max-connections-per-address"),
    live<&C::maxWebSocketsPerUser>("max-websockets-per-user"),
    live<&C::wsOpenRule>("ws-open-rate/ws-open-burst"),
    live<&C::adminRule>("admin-rate/admin-burst"),
    restart<&C::readyzIntervalMs>("readyz-interval-ms"),
    restart<&C::opsListen>("ops-listen"),
    {"metrics-token", &differs<&C::metricsToken>, &hidden, nullptr},
    live<&C::sendRule>("send-rate/send-burst"),
    live<&C::typingRule>("typing-rate/typing-burst"),
    live<&C::frameRule>("frame-rate/frame-burst"),
    live<&C::loginRule>("login-rate/login-burst"),
    live<&C::loginAddressRule>("login-address-rate/login-address-burst"),
    live<&C::loginAccountRule>("login-account-rate/login-account-burst"),
    live<&C::registerRule>("register-rate/register-burst"),
    live<&C::conversationRule>("conversation-rate/conversation-burst"),
    restart<&C::hashQueueLimit>("hash-queue"),
    restart<&C::sessionRecheckSeconds>("session-recheck-s"),
    restart<&C::adminClusterTimeoutMs>("admin-cluster-timeout-ms"),
    restart<&C::adminStreamBuffer>("admin-stream-buffer"),
    restart<&C::adminStreamConnectionsCap>("admin-stream-connections-cap"),
    live<&C::httpUserRule>("http-user-rate/http-user-burst"),
    live<&C::httpAddressRule>("http-address-rate/http-address-burst"),
    restart<&C::argon2MemoryKiB>("argon2-memory-kib"),
    restart<&C::argon2Iterations>("argon2-iterations"),
    restart<&C::tokenTtlMs>("token-ttl-days"),
    restart<&C::trustedProxies>("trusted-proxies"),
    restart<&C::webRoot>("web-root"),
    restart<&C::nativeWebSocket>("websocket"),
    restart<&C::epollLoop>("event-loop"),
    {"notify-*", &notifyDiffers, &showNotify, nullptr},
};

bool isLogLevel(const QString &level) // the levels applyLogLevel() takes
{
    return level == u"debug" || level == u"info" || level == u"warning" || level == u"error";
}

} // namespace

QList<ConfigChange> configChanges(const DaemonConfig &running, const DaemonConfig &next)
{
    QList<ConfigChange> out;
    for (const Field &f : kFields) {
        if (!f.differs(running, next))
            continue;
        ConfigChange c{QLatin1StringView(f.name), f.show(running), f.show(next), f.apply != nullptr};
        // A secret part (a password) changed: say so without showing it.
        if (c.from == c.to)
            c.to += QStringLiteral(" (a hidden part changed)");
        out << c;
    }
    return out;
}

void applyLiveSettings(DaemonConfig &running, const DaemonConfig &next)
{
    for (const Field &f : kFields) {
        if (f.apply && f.differs(running, next))
            f.apply(running, next);
    }
}

std::optional<DaemonConfig> loadDaemonConfig(const QList<OptionSpec> &specs,
                                             const QCommandLineParser &parser, QString &error)
{
    const auto settings =
        Settings::resolve(specs, parser, QProcessEnvironment::systemEnvironment(), error);
    if (!settings)
        return std::nullopt;
    auto config = DaemonConfig::fromSettings(*settings, error);
    if (!config)
        return std::nullopt;
    if (!isLogLevel(config->logLevel)) {
        error = QStringLiteral("log-level must be debug, info, warning or error");
        return std::nullopt;
    }
    return config;
}

} // namespace sanayicin
