#include "redis_url.h"

#include <QUrl>
#include <QUrlQuery>

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

constexpr auto kSentinelScheme = QLatin1StringView("redis+sentinel://");
constexpr qsizetype kMaxSentinels = 16;
constexpr qsizetype kMaxMasterName = 64;

bool isMasterName(QStringView name)
{
    if (name.isEmpty() || name.size() > kMaxMasterName)
        return false;
    for (QChar c : name) {
        const char16_t u = c.unicode();
        if (!((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '.'
              || u == '_' || u == '-'))
            return false;
    }
    return true;
}

// host[:port] as a URL authority (IPv6 in brackets).
QString authorityOf(const QString &host, int port)
{
    QUrl url;
    url.setScheme(QStringLiteral("redis"));
    url.setHost(host);
    url.setPort(port);
    return url.authority(QUrl::FullyEncoded);
}

bool isSecret(const QString &s)
{
    return s.size() <= kMaxSecret && !hasControl(s) && roundTrips(s);
}

// "sentinel_password=P[&sentinel_user=U]", each once, percent-decoded the
// way QUrl decodes the user info; nothing else is known.
bool parseSentinelQuery(const QString &query, RedisUrl &out, QString &error)
{
    const QUrl holder(QStringLiteral("redis://h/?") + query, QUrl::StrictMode);
    error = QStringLiteral("redis+sentinel URL: the query may hold sentinel_password and "
                           "sentinel_user, each once, percent-encoded");
    if (!holder.isValid() || query.isEmpty())
        return false;
    const QUrlQuery items(holder);
    bool user = false, password = false;
    for (const auto &[name, value] : items.queryItems(QUrl::FullyDecoded)) {
        if (name == u"sentinel_user" && !user) {
            user = true;
            out.sentinelUser = value;
        } else if (name == u"sentinel_password" && !password) {
            password = true;
            out.sentinelPassword = value;
        } else {
            return false; // unknown or repeated
        }
    }
    if (out.sentinelPassword.isEmpty()) {
        error = QStringLiteral("redis+sentinel URL: sentinel_password must not be empty "
                               "(and a sentinel_user needs one)");
        return false;
    }
    if (!isSecret(out.sentinelUser) || !isSecret(out.sentinelPassword)) {
        error = QStringLiteral("redis+sentinel URL: sentinel_user or sentinel_password too long, "
                               "or with control characters or invalid UTF-8");
        return false;
    }
    return true;
}

// The sentinel form: each sentinel goes through the plain parser (with the
// same user, password and db) so that every part is checked the same way.
std::optional<RedisUrl> parseSentinel(const QString &text, QString &error)
{
    const QString usage = QStringLiteral(
        "redis URL must look like redis+sentinel://[[user]:password@]host:port,host:port/master[/db]"
        "[?sentinel_password=...]");
    const qsizetype question = text.indexOf(u'?');
    const QString rest = text.mid(kSentinelScheme.size(), question < 0 ? -1 : question - kSentinelScheme.size());
    const qsizetype slash = rest.indexOf(u'/');
    if (slash < 0 || text.contains(u'#')) {
        error = usage;
        return std::nullopt;
    }
    RedisUrl sentinelAuth;
    if (question >= 0 && !parseSentinelQuery(text.mid(question + 1), sentinelAuth, error))
        return std::nullopt;
    const QString authority = rest.left(slash);
    const QString path = rest.mid(slash + 1);
    const qsizetype at = authority.lastIndexOf(u'@');
    const QString userInfo = at < 0 ? QString() : authority.left(at + 1);
    const QStringList hosts = authority.mid(at + 1).split(u',');
    const qsizetype nameEnd = path.indexOf(u'/');
    const QString name = path.left(nameEnd);
    const QString db = nameEnd < 0 ? QString() : path.mid(nameEnd + 1);
    if (!isMasterName(name)) {
        error = QStringLiteral("redis+sentinel URL: the master name must be 1-64 of A-Z a-z 0-9 . _ -");
        return std::nullopt;
    }
    if (hosts.size() > kMaxSentinels) {
        error = QStringLiteral("redis+sentinel URL: at most 16 sentinels");
        return std::nullopt;
    }
    std::optional<RedisUrl> out;
    for (const QString &host : hosts) {
        if (host.isEmpty()) {
            error = QStringLiteral("redis+sentinel URL: a sentinel's host is empty");
            return std::nullopt;
        }
        QString why;
        const QString plain = QStringLiteral("redis://%1%2/%3").arg(userInfo, host, db);
        const auto one = RedisUrl::parse(plain, why);
        if (!one) {
            error = QStringLiteral("redis+sentinel URL: ") + why;
            return std::nullopt;
        }
        const int port = QUrl(QStringLiteral("redis://") + host, QUrl::StrictMode).port(26379);
        if (!out)
            out = *one;
        out->sentinels.append({one->host, port});
    }
    out->host = out->sentinels.front().host;
    out->port = out->sentinels.front().port;
    out->masterName = name;
    out->sentinelUser = sentinelAuth.sentinelUser;
    out->sentinelPassword = sentinelAuth.sentinelPassword;
    return out;
}

} // namespace

std::optional<RedisUrl> RedisUrl::parse(const QString &text, QString &error)
{
    if (text.startsWith(kSentinelScheme))
        return parseSentinel(text, error);
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
    if (!isSecret(out.user) || !isSecret(out.password)) {
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
    if (viaSentinel()) {
        QStringList nodes;
        for (const Node &n : sentinels)
            nodes << QStringLiteral("%1:%2").arg(n.host).arg(n.port);
        const QString sentinelWho = sentinelUser.isEmpty() ? QString()
                                                           : QStringLiteral(" (sentinel user %1)").arg(sentinelUser);
        return QStringLiteral("redis+sentinel://%1%2/%3/%4")
                   .arg(who, nodes.join(u','), masterName)
                   .arg(db)
               + sentinelWho;
    }
    return QStringLiteral("redis://%1%2:%3/%4").arg(who, host).arg(port).arg(db);
}

QString RedisUrl::toString() const
{
    if (viaSentinel()) {
        QUrl secrets;
        secrets.setUserName(user, QUrl::DecodedMode);
        secrets.setPassword(password, QUrl::DecodedMode);
        const QString userInfo = user.isEmpty() && password.isEmpty()
                                     ? QString()
                                     : secrets.userInfo(QUrl::FullyEncoded) + QLatin1Char('@');
        QStringList nodes;
        for (const Node &n : sentinels)
            nodes << authorityOf(n.host, n.port);
        QString query;
        if (!sentinelPassword.isEmpty()) {
            query = QStringLiteral("?sentinel_password=")
                    + QString::fromLatin1(QUrl::toPercentEncoding(sentinelPassword));
            if (!sentinelUser.isEmpty())
                query += QStringLiteral("&sentinel_user=")
                         + QString::fromLatin1(QUrl::toPercentEncoding(sentinelUser));
        }
        return kSentinelScheme + userInfo + nodes.join(u',') + QLatin1Char('/') + masterName
               + QLatin1Char('/') + QString::number(db) + query;
    }
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
