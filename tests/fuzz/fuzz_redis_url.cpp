// RedisUrl::parse on any text: what it accepts round-trips through
// toString() to the same fields, keeps port and database in range, carries
// no control character in user or password, and redacted() never shows the
// password (it is built only from user, host, port and database). The
// Sentinel form also: 1-16 sentinels with ports in range, a master name, and
// host and port naming the first sentinel; a sentinel user only with a
// sentinel password, neither with a control character, and redacted()
// showing the sentinel user but never the sentinel password.

#include "bridge/redis_url.h"

#include <QString>
#include <QStringList>
#include <cstdint>

namespace {

[[noreturn]] void fail()
{
    __builtin_trap();
}

bool hasControl(const QString &s)
{
    for (QChar c : s)
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return true;
    return false;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    const auto url = sanayicin::RedisUrl::parse(text, error);
    if (!url) {
        if (error.isEmpty())
            fail();
        return 0;
    }
    if (url->host.isEmpty() || url->port < 1 || url->port > 65535 || url->db < 0
        || url->db > (1 << 20))
        fail();
    if (hasControl(url->user) || hasControl(url->password))
        fail();
    if (!url->user.isEmpty() && url->password.isEmpty())
        fail();
    if (hasControl(url->sentinelUser) || hasControl(url->sentinelPassword)
        || (!url->sentinelUser.isEmpty() && url->sentinelPassword.isEmpty())
        || (!url->viaSentinel() && !url->sentinelPassword.isEmpty()))
        fail();
    // redacted() is exactly its fields without the password.
    const QString who = url->user.isEmpty() ? QString() : url->user + QLatin1Char('@');
    QString expected = QStringLiteral("redis://%1%2:%3/%4").arg(who, url->host).arg(url->port).arg(url->db);
    if (url->viaSentinel()) {
        if (url->sentinels.size() > 16 || url->masterName.isEmpty() || url->masterName.size() > 64
            || url->host != url->sentinels.front().host || url->port != url->sentinels.front().port)
            fail();
        QStringList nodes;
        for (const auto &n : url->sentinels) {
            if (n.host.isEmpty() || n.port < 1 || n.port > 65535)
                fail();
            nodes << QStringLiteral("%1:%2").arg(n.host).arg(n.port);
        }
        expected = QStringLiteral("redis+sentinel://%1%2/%3/%4").arg(who, nodes.join(u','), url->masterName).arg(url->db);
        if (!url->sentinelUser.isEmpty())
            expected += QStringLiteral(" (sentinel user %1)").arg(url->sentinelUser);
    } else if (!url->masterName.isEmpty()) {
        fail();
    }
    if (url->redacted() != expected)
        fail();
    // What it accepted, written back, reads the same.
    QString again;
    const auto back = sanayicin::RedisUrl::parse(url->toString(), again);
    if (!back || back->host != url->host || back->port != url->port || back->user != url->user
        || back->password != url->password || back->db != url->db
        || back->sentinels != url->sentinels || back->masterName != url->masterName
        || back->sentinelUser != url->sentinelUser || back->sentinelPassword != url->sentinelPassword)
        fail();
    return 0;
}
