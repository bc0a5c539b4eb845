// WebhookUrl::parse on any text: what it accepts is http or https with a
// host, no user information, no fragment, a port in 1-65535 or none, at
// most kMaxLength printable ASCII characters; redacted() carries no query
// and parses again to the same scheme, host, port and path. What it refuses
// says why.

#include "notify/webhook_url.h"

#include <QString>
#include <cstdint>

namespace {

[[noreturn]] void fail()
{
    __builtin_trap();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using sanayicin::notify::WebhookUrl;
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    const auto url = WebhookUrl::parse(text, error);
    if (!url) {
        if (error.isEmpty())
            fail();
        return 0;
    }
    if (text.size() > WebhookUrl::kMaxLength)
        fail();
    for (QChar c : text)
        if (c.unicode() <= 0x20 || c.unicode() >= 0x7f)
            fail();
    const QUrl &u = url->url;
    if ((u.scheme() != u"http" && u.scheme() != u"https") || u.host().isEmpty()
        || !u.userInfo().isEmpty() || u.hasFragment())
        fail();
    if (u.port() != -1 && (u.port() < 1 || u.port() > 65535))
        fail();
    const QString shown = url->redacted();
    if (u.hasQuery() && shown.contains(QLatin1Char('?')))
        fail();
    QString again;
    const auto back = WebhookUrl::parse(shown, again);
    if (!back || back->url.scheme() != u.scheme() || back->url.host() != u.host()
        || back->url.port() != u.port() || back->url.path() != u.path())
        fail();
    return 0;
}
