#include "redis_url.h"

#include <QUrl>

namespace sanayicin {

namespace {

constexpr int kMaxDb = 1 << 20;       // far beyond any `databases` setting
constexpr qsizetype kMaxSecret = 4096; // user names and passwords

bool hasControl(const QString &s)
{
    for (QChar c : s)
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return true;
    return false;
}

// QUrl writes lone surrogates, noncharacters and U+FFFD (what it decodes
// invalid UTF-8 to) back as something that reads differently, so a secret
// holding one would not survive toString(); no real password needs them.
bool roundTrips(const QString &s)
{
    const auto ucs4 = s.toUcs4();
    for (char32_t c : ucs4) {
        if ((c >= 0xd800 && c <= 0xdfff) || c == 0xfffd || (c >= 0xfdd0 && c <= 0xfdef)
            || (c & 0xfffe) == 0xfffe)
            return false;
    }
    return true;
}

} // namespace

std::optional<RedisUrl> RedisUrl::parse(const QString &text, QString &error)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.scheme() != u"redis" || url.host().isEmpty() || url.hasQuery()
        || url.hasFragment()) {
        error = QStringLiteral("redis URL must look like redis://[[user]:password@]host:port/db");
        return std::nullopt;
    }
    RedisUrl out;
    out.host = url.host(QUrl::FullyDecoded);
    const int port = url.port(6379);
    if (port <= 0) {
        error = QStringLiteral("redis URL: the port must be 1-65535");
        return std::nullopt;
    }
    out.port = port;
    out.user = url.userName(QUrl::FullyDecoded);
    out.password = url.password(QUrl::FullyDecoded);
    if (!out.user.isEmpty() && out.password.isEmpty()) {
        error = QStringLiteral("redis URL: a user needs a password (redis://user:password@host)");
        return std::nullopt;
    }
    // They travel as command arguments: binary-safe, but a control character
    // is a pasting mistake, and AUTH would only fail later and less clearly.
    if (out.user.size() > kMaxSecret || out.password.size() > kMaxSecret || hasControl(out.user)
        || hasControl(out.password) || !roundTrips(out.user) || !roundTrips(out.password)) {
        error = QStringLiteral(
            "redis URL: user or password too long, or with control characters or invalid UTF-8");
        return std::nullopt;
    }
    const QString path = url.path(QUrl::FullyDecoded);
    if (!path.isEmpty() && path != u"/") {
        bool ok = false;
        const QString digits = path.mid(1);
        out.db = digits.toInt(&ok);
        if (!ok || out.db < 0 || out.db > kMaxDb || digits.front() == u'+' || digits.front() == u'-'
            || digits.size() > 7) {
            error = QStringLiteral("redis URL: the database must be a number");
            return std::nullopt;
        }
    }
    return out;
}

QString RedisUrl::redacted() const
{
    const QString who = user.isEmpty() ? QString() : user + QLatin1Char('@');
    return QStringLiteral("redis://%1%2:%3/%4").arg(who, host).arg(port).arg(db);
}

QString RedisUrl::toString() const
{
    QUrl url;
    url.setScheme(QStringLiteral("redis"));
    url.setHost(host);
    url.setPort(port);
    if (!user.isEmpty() || !password.isEmpty()) {
        url.setUserName(user, QUrl::DecodedMode);
        url.setPassword(password, QUrl::DecodedMode);
    }
    url.setPath(QLatin1Char('/') + QString::number(db));
    return url.toString(QUrl::FullyEncoded);
}

} // namespace sanayicin
