#include "webhook_url.h"

namespace sanayicin::notify {

std::optional<WebhookUrl> WebhookUrl::parse(const QString &text, QString &error)
{
    if (text.isEmpty()) {
        error = QStringLiteral("the webhook URL is empty");
        return std::nullopt;
    }
    if (text.size() > kMaxLength) {
        error = QStringLiteral("the webhook URL is longer than %1 characters").arg(kMaxLength);
        return std::nullopt;
    }
    // Before QUrl: it would percent-encode spaces and other characters in
    // tolerant places, and accept text that is not what the operator meant.
    for (QChar c : text) {
        if (c.unicode() <= 0x20 || c.unicode() >= 0x7f) {
            error = QStringLiteral("the webhook URL may hold printable ASCII only (no spaces, "
                                   "control characters or non-ASCII; a domain name in its xn-- form)");
            return std::nullopt;
        }
    }
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid()) {
        error = QStringLiteral("the webhook URL is not a valid URL");
        return std::nullopt;
    }
    const QString scheme = url.scheme();
    if (scheme != u"http" && scheme != u"https") {
        error = QStringLiteral("the webhook URL must start with http:// or https://");
        return std::nullopt;
    }
    if (url.host().isEmpty()) {
        error = QStringLiteral("the webhook URL has no host");
        return std::nullopt;
    }
    if (!url.userInfo().isEmpty() || text.section(u'/', 2, 2).contains(u'@')) {
        error = QStringLiteral("the webhook URL must not hold a user or password (the receiver "
                               "checks the signature instead)");
        return std::nullopt;
    }
    if (url.hasFragment()) {
        error = QStringLiteral("the webhook URL must not have a #fragment");
        return std::nullopt;
    }
    const int port = url.port();
    if (port == 0 || port > 65535 || (port < 0 && port != -1)) {
        error = QStringLiteral("the webhook URL's port must be 1 to 65535");
        return std::nullopt;
    }
    // "http://host:" has an empty port that QUrl takes for none.
    const QString authority = text.section(u'/', 2, 2);
    if (authority.endsWith(u':')) {
        error = QStringLiteral("the webhook URL's port must be 1 to 65535");
        return std::nullopt;
    }
    WebhookUrl out;
    out.url = url;
    return out;
}

QString WebhookUrl::redacted() const
{
    return url.toString(QUrl::RemoveQuery | QUrl::RemoveUserInfo | QUrl::RemoveFragment | QUrl::FullyEncoded);
}

} // namespace sanayicin::notify
