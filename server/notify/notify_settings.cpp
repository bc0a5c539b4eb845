#include "notify_settings.h"

#include <QFile>

namespace sanayicin::notify {

namespace {

constexpr qint64 kDayMs = 24LL * 3600 * 1000;

} // namespace

QList<OptionSpec> NotifySettings::options()
{
    return {
        {QStringLiteral("notify-webhook-url"), QStringLiteral("URL"), {},
         QStringLiteral("Webhook for participants with no live connection: http(s)://host[:port]/"
                        "path[?query], POSTed JSON signed with HMAC-SHA256 (docs/operations.md). "
                        "Empty: no notifications."),
         OptionKind::String, 0, 0},
        {QStringLiteral("notify-webhook-secret-file"), QStringLiteral("PATH"), {},
         QStringLiteral("File holding the webhook's signing secret (16-4096 bytes; one trailing "
                        "line end is dropped). Else SANAYICIN_NOTIFY_WEBHOOK_SECRET."),
         OptionKind::String, 0, 0},
        {QStringLiteral("notify-batch-ms"), QStringLiteral("N"), QString::number(30000),
         QStringLiteral("A notification waits this long after the first message of a burst, so the "
                        "burst becomes one POST."),
         OptionKind::Integer, 0, kDayMs},
        {QStringLiteral("notify-connect-timeout-ms"), QStringLiteral("N"), QString::number(5000),
         QStringLiteral("Longest wait for the webhook's connection and the request to go out."),
         OptionKind::Integer, 100, 60000},
        {QStringLiteral("notify-timeout-ms"), QStringLiteral("N"), QString::number(10000),
         QStringLiteral("Longest wait for the whole POST and its answer (from the start)."),
         OptionKind::Integer, 100, 300000},
        {QStringLiteral("notify-preview-chars"), QStringLiteral("N"), QString::number(0),
         QStringLiteral("Characters of the newest message per conversation in the payload (0: none, "
                        "only ids, counts and who wrote)."),
         OptionKind::Integer, 0, 1000},
    };
}

std::optional<QByteArray> NotifySettings::secretFrom(QByteArray raw, const QString &where,
                                                     QString &error)
{
    if (raw.endsWith('\n'))
        raw.chop(raw.endsWith("\r\n") ? 2 : 1);
    if (raw.size() < kMinSecretBytes || raw.size() > kMaxSecretBytes) {
        error = QStringLiteral("the webhook secret (%1) must be %2 to %3 bytes long")
                    .arg(where)
                    .arg(kMinSecretBytes)
                    .arg(kMaxSecretBytes);
        return std::nullopt;
    }
    return raw;
}

std::optional<NotifySettings> NotifySettings::fromSettings(const Settings &s,
                                                           const QProcessEnvironment &env,
                                                           QString &error)
{
    NotifySettings c;
    c.batchMs = s.integer(QStringLiteral("notify-batch-ms"));
    c.connectTimeoutMs = int(s.integer(QStringLiteral("notify-connect-timeout-ms")));
    c.totalTimeoutMs = int(s.integer(QStringLiteral("notify-timeout-ms")));
    c.previewChars = int(s.integer(QStringLiteral("notify-preview-chars")));
    if (c.totalTimeoutMs < c.connectTimeoutMs) {
        error = QStringLiteral("notify-timeout-ms must be at least notify-connect-timeout-ms");
        return std::nullopt;
    }
    const QString urlText = s.string(QStringLiteral("notify-webhook-url"));
    if (urlText.isEmpty())
        return c;
    QString why;
    c.url = WebhookUrl::parse(urlText, why);
    if (!c.url) {
        error = QStringLiteral("notify-webhook-url: ") + why;
        return std::nullopt;
    }
    const QString path = s.string(QStringLiteral("notify-webhook-secret-file"));
    std::optional<QByteArray> secret;
    if (!path.isEmpty()) {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) {
            error = QStringLiteral("notify-webhook-secret-file: cannot read %1: %2")
                        .arg(path, f.errorString());
            return std::nullopt;
        }
        // One byte past the limit is enough to know it is too long.
        secret = secretFrom(f.read(kMaxSecretBytes + 3), QStringLiteral("file ") + path, error);
    } else if (env.contains(QLatin1StringView(kSecretEnv))) {
        secret = secretFrom(env.value(QLatin1StringView(kSecretEnv)).toUtf8(),
                            QLatin1StringView(kSecretEnv), error);
    } else {
        error = QStringLiteral("notify-webhook-url needs a secret: notify-webhook-secret-file or "
                               "SANAYICIN_NOTIFY_WEBHOOK_SECRET");
        return std::nullopt;
    }
    if (!secret)
        return std::nullopt;
    c.secret = *secret;
    return c;
}

} // namespace sanayicin::notify
