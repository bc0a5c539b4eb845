#pragma once

#include "settings/settings.h"
#include "webhook_url.h"

#include <QByteArray>
#include <QList>
#include <QProcessEnvironment>
#include <optional>

namespace sanayicin::notify {

// The settings of webhook notifications (docs/operations.md). With no
// --notify-webhook-url they are off, and nothing of them runs. The secret
// comes from a file (--notify-webhook-secret-file) or the environment
// (SANAYICIN_NOTIFY_WEBHOOK_SECRET), never from the command line, where
// every local user could read it; it is never logged.
struct NotifySettings
{
    static constexpr qsizetype kMaxSecretBytes = 4096;
    static constexpr qsizetype kMinSecretBytes = 16;
    static constexpr char kSecretEnv[] = "SANAYICIN_NOTIFY_WEBHOOK_SECRET";

    std::optional<WebhookUrl> url; // none: notifications off
    QByteArray secret;
    qint64 batchMs = 30000;        // a job runs this long after the first message of a burst
    int connectTimeoutMs = 5000;   // until the request is sent
    int totalTimeoutMs = 10000;    // until the answer is in
    int previewChars = 0;          // 0: no message text in the payload

    bool enabled() const { return url.has_value(); }

    // Appended to the daemon's own options.
    static QList<OptionSpec> options();
    static std::optional<NotifySettings> fromSettings(const Settings &settings,
                                                      const QProcessEnvironment &env,
                                                      QString &error);
    // The secret file's or variable's bytes, one trailing line end dropped;
    // nullopt (with `error`) when empty, shorter than kMinSecretBytes or
    // longer than kMaxSecretBytes.
    static std::optional<QByteArray> secretFrom(QByteArray raw, const QString &where,
                                                QString &error);
};

} // namespace sanayicin::notify
