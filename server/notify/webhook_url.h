#pragma once

#include <QString>
#include <QUrl>
#include <optional>

namespace sanayicin::notify {

// The --notify-webhook-url: http:// or https://, a host, an optional port
// (1-65535), path and query; printable ASCII only (an international domain
// name is given in its xn-- form), at most kMaxLength bytes. Refused: user
// information (a password there would reach logs and proxies: the receiver
// authenticates us by the signature instead), a fragment, anything QUrl's
// strict mode calls invalid. A pure parser (no I/O), fuzzed by
// tests/fuzz/fuzz_webhook_url.cpp. Error texts never repeat the URL, whose
// query may hold a receiver's token.
struct WebhookUrl
{
    static constexpr qsizetype kMaxLength = 2048;

    QUrl url;

    static std::optional<WebhookUrl> parse(const QString &text, QString &error);
    // scheme://host:port/path, without the query: what logs may show.
    QString redacted() const;
};

} // namespace sanayicin::notify
