#include "database_url.h"

#include "text/ascii.h"

#include <QDir>
#include <QStringDecoder>
#include <QUrl>
#include <algorithm>
#include <array>

namespace sanayicin {

namespace {

// libpq 15's connection keywords (PQconndefaults(), without the debug-only
// "replication"); tst_database_url checks them against the linked libpq.
// host, port, user, password and dbname go to their own fields.
constexpr std::array<const char *, 35> kLibpqKeywords{
    "service", "user", "password", "passfile", "channel_binding", "connect_timeout", "dbname",
    "host", "hostaddr", "port", "client_encoding", "options", "application_name",
    "fallback_application_name", "keepalives", "keepalives_idle", "keepalives_interval",
    "keepalives_count", "tcp_user_timeout", "sslmode", "sslcompression", "sslcert", "sslkey",
    "sslpassword", "sslrootcert", "sslcrl", "sslcrldir", "sslsni", "requirepeer",
    "ssl_min_protocol_version", "ssl_max_protocol_version", "gssencmode", "krbsrvname", "gsslib",
    "target_session_attrs"};

bool isLibpqKeyword(const QString &key)
{
    return std::any_of(kLibpqKeywords.begin(), kLibpqKeywords.end(),
                       [&](const char *k) { return key == QLatin1StringView(k); });
}

bool isSecretOption(const QString &key)
{
    return key == u"sslpassword"; // "password" has a field of its own
}

// Errors name the part by position and never quote the URL: a password
// written without percent-encoding can end up in any part of it.
struct Parser
{
    QString &error;

    bool fail(const QString &what)
    {
        error = QStringLiteral("database URL: ") + what;
        return false;
    }

    // %XX decoding, then strict UTF-8; no NUL (libpq takes C strings).
    std::optional<QString> decode(QStringView text, const QString &what)
    {
        const QByteArray bytes = text.toUtf8();
        QByteArray out;
        out.reserve(bytes.size());
        for (qsizetype i = 0; i < bytes.size(); ++i) {
            if (bytes[i] != '%') {
                out += bytes[i];
                continue;
            }
            const int hi = i + 2 < bytes.size() ? hexDigitValue(bytes[i + 1]) : -1;
            const int lo = hi >= 0 ? hexDigitValue(bytes[i + 2]) : -1;
            if (lo < 0) {
                fail(what + QStringLiteral(" has a '%' not followed by two hex digits"));
                return std::nullopt;
            }
            out += char(hi * 16 + lo);
            i += 2;
        }
        if (out.contains('\0')) {
            fail(what + QStringLiteral(" contains a NUL character"));
            return std::nullopt;
        }
        QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        QString decoded = utf8(out);
        if (utf8.hasError()) {
            fail(what + QStringLiteral(" is not UTF-8 once decoded"));
            return std::nullopt;
        }
        return decoded;
    }

    static bool isIpv6(const QString &name)
    {
        const qsizetype zone = name.indexOf(u'%');
        const QStringView address = QStringView(name).left(zone < 0 ? name.size() : zone);
        if (address.count(u':') < 2 || address.contains(u":::"))
            return false;
        for (QChar c : address)
            if (!isAsciiHexDigit(c.unicode()) && c != u':' && c != u'.')
                return false;
        if (zone < 0)
            return true;
        const QStringView id = QStringView(name).mid(zone + 1);
        return !id.isEmpty() && std::all_of(id.begin(), id.end(), [](QChar c) {
            return isAsciiLetterOrNumber(c.unicode()) || c == u'_' || c == u'.' || c == u'-';
        });
    }

    // A host name or IPv4 address, a socket folder, or (in ?host=) an IPv6 address.
    bool checkHostName(const QString &name, const QString &what)
    {
        if (name.isEmpty())
            return fail(what + QStringLiteral(" is empty"));
        if (name.startsWith(u'/')) {
            for (QChar c : name)
                if (c == u',' || c.unicode() < 0x20)
                    return fail(what + QStringLiteral(": a socket folder cannot hold ',' or control characters"));
            return true;
        }
        if (name.contains(u':'))
            return isIpv6(name) || fail(what + QStringLiteral(" is not an IPv6 address"));
        for (QChar c : name)
            if (!isAsciiLetterOrNumber(c.unicode()) && c != u'.' && c != u'-' && c != u'_')
                return fail(what + QStringLiteral(" is not a host name, an address or a socket folder"
                                                  " (an '@' in the password is written %40)"));
        return true;
    }

    // `subject` names it: "the port of host 2", "port 1 of query parameter 3".
    std::optional<int> port(QStringView text, const QString &subject)
    {
        // At most five digits: no overflow on the way to the range check.
        const bool digits = !text.isEmpty() && text.size() <= 5
                            && std::all_of(text.begin(), text.end(),
                                           [](QChar c) { return isAsciiDigit(c.unicode()); });
        const int value = digits ? text.toInt() : 0;
        if (value < 1 || value > 65535) {
            fail(subject + QStringLiteral(" must be a number from 1 to 65535"));
            return std::nullopt;
        }
        return value;
    }

    static bool isAsciiDigit(char16_t c) { return c >= u'0' && c <= u'9'; }
    static bool isAsciiHexDigit(char16_t c)
    {
        return isAsciiDigit(c) || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
    }
    static bool isAsciiLetterOrNumber(char16_t c)
    {
        return isAsciiDigit(c) || (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
    }
};

struct HostSpec
{
    QString name;
    std::optional<int> port;
};

bool parseHostSpec(Parser &p, QStringView spec, int index, HostSpec &out)
{
    const QString what = QStringLiteral("host %1").arg(index);
    QStringView portText;
    bool hasPort = false;
    if (spec.startsWith(u'[')) {
        const qsizetype close = spec.indexOf(u']');
        if (close < 0)
            return p.fail(what + QStringLiteral(" has an unterminated '['"));
        const auto name = p.decode(spec.mid(1, close - 1), what);
        if (!name)
            return false;
        if (!Parser::isIpv6(*name))
            return p.fail(what + QStringLiteral(": brackets hold an IPv6 address"));
        out.name = *name;
        const QStringView after = spec.mid(close + 1);
        if (!after.isEmpty()) {
            if (!after.startsWith(u':'))
                return p.fail(what + QStringLiteral(": after ']' only ':port' may follow"));
            portText = after.mid(1);
            hasPort = true;
        }
    } else {
        const qsizetype colons = spec.count(u':');
        if (colons > 1)
            return p.fail(what + QStringLiteral(" has more than one ':' (write an IPv6 address in brackets)"));
        const qsizetype colon = spec.indexOf(u':');
        const auto name = p.decode(colon < 0 ? spec : spec.left(colon), what);
        if (!name)
            return false;
        if (name->contains(u':') && !name->startsWith(u'/')) // %3A: a socket folder may hold one
            return p.fail(what + QStringLiteral(" has more than one ':' (write an IPv6 address in brackets)"));
        if (!p.checkHostName(*name, what))
            return false;
        out.name = *name;
        if (colon >= 0) {
            portText = spec.mid(colon + 1);
            hasPort = true;
        }
    }
    if (hasPort) {
        out.port = p.port(portText, QStringLiteral("the port of ") + what);
        if (!out.port)
            return false;
    }
    return true;
}

QString encoded(const QString &text)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(text));
}

QString quotedForLibpq(const QString &value)
{
    QString out = value;
    out.replace(u'\\', QStringLiteral("\\\\"));
    out.replace(u'\'', QStringLiteral("\\'"));
    return u'\'' + out + u'\'';
}

} // namespace

const char *dialectName(Dialect d)
{
    return d == Dialect::Postgres ? "postgresql" : "sqlite";
}

std::optional<DatabaseUrl> DatabaseUrl::parse(const QString &text, const QString &dataDir,
                                              QString &error)
{
    DatabaseUrl out;
    if (text.isEmpty()) {
        out.dialect = Dialect::Sqlite;
        out.sqlitePath = QDir(dataDir).absoluteFilePath(QStringLiteral("sanayicin.sqlite"));
        return out;
    }
    if (text.startsWith(u"sqlite:")) {
        out.dialect = Dialect::Sqlite;
        QString path = text.mid(7);
        if (path.startsWith(u"//"))
            path = path.mid(2); // sqlite:///abs -> /abs
        if (path.isEmpty()) {
            error = QStringLiteral("database URL: sqlite: needs a path");
            return std::nullopt;
        }
        out.sqlitePath = QDir::isAbsolutePath(path) ? path : QDir(dataDir).absoluteFilePath(path);
        return out;
    }
    const qsizetype schemeEnd = text.indexOf(u"://");
    const QString scheme = schemeEnd < 0 ? QString() : text.left(schemeEnd).toLower();
    if (scheme != u"postgresql" && scheme != u"postgres") {
        error = QStringLiteral("database URL must start with postgresql://, postgres:// or sqlite:");
        return std::nullopt;
    }
    Parser p{error};
    const QStringView rest = QStringView(text).mid(schemeEnd + 3);
    if (rest.contains(u'#')) {
        p.fail(QStringLiteral("'#' is not allowed (write it %23 in a password)"));
        return std::nullopt;
    }
    out.dialect = Dialect::Postgres;

    // authority [/database] [?query]
    qsizetype authorityEnd = 0;
    while (authorityEnd < rest.size() && rest[authorityEnd] != u'/' && rest[authorityEnd] != u'?')
        ++authorityEnd;
    const QStringView authority = rest.left(authorityEnd);
    const qsizetype queryStart = rest.indexOf(u'?', authorityEnd);
    const QStringView path = authorityEnd < rest.size() && rest[authorityEnd] == u'/'
                                 ? rest.mid(authorityEnd + 1, (queryStart < 0 ? rest.size() : queryStart) - authorityEnd - 1)
                                 : QStringView();
    const QStringView query = queryStart < 0 ? QStringView() : rest.mid(queryStart + 1);

    // user:password@ (the first '@', as libpq reads it)
    QStringView hostPart = authority;
    if (const qsizetype at = authority.indexOf(u'@'); at >= 0) {
        const QStringView userInfo = authority.left(at);
        hostPart = authority.mid(at + 1);
        const qsizetype colon = userInfo.indexOf(u':');
        const auto user = p.decode(colon < 0 ? userInfo : userInfo.left(colon), QStringLiteral("the user"));
        if (!user)
            return std::nullopt;
        out.user = *user;
        if (colon >= 0) {
            const auto password = p.decode(userInfo.mid(colon + 1), QStringLiteral("the password"));
            if (!password)
                return std::nullopt;
            out.password = *password;
        }
    }

    // host[:port],host[:port],...; nothing at all means libpq's default.
    std::vector<HostSpec> specs;
    if (hostPart.isEmpty()) {
        specs.push_back({});
    } else {
        int index = 0;
        for (QStringView spec : hostPart.split(u',')) {
            HostSpec h;
            if (spec.isEmpty()) {
                p.fail(QStringLiteral("host %1 is empty").arg(index + 1));
                return std::nullopt;
            }
            if (!parseHostSpec(p, spec, ++index, h))
                return std::nullopt;
            specs.push_back(h);
        }
    }

    const auto database = p.decode(path, QStringLiteral("the database name"));
    if (!database)
        return std::nullopt;
    out.database = *database;

    // key=value&...: libpq keywords; host and port lists replace the
    // authority's, as in libpq.
    std::optional<QStringList> queryHosts;
    std::optional<QList<int>> queryPorts;
    int index = 0;
    for (QStringView item : query.split(u'&')) {
        ++index;
        if (item.isEmpty())
            continue; // "?&a=b", a trailing '&'
        const QString what = QStringLiteral("query parameter %1").arg(index);
        const qsizetype eq = item.indexOf(u'=');
        if (eq < 0) {
            p.fail(what + QStringLiteral(" has no '='"));
            return std::nullopt;
        }
        const auto key = p.decode(item.left(eq), what);
        const auto value = key ? p.decode(item.mid(eq + 1), what) : std::nullopt;
        if (!value)
            return std::nullopt;
        if (!isLibpqKeyword(*key)) {
            p.fail(what + QStringLiteral(" is not one of libpq's connection keywords"));
            return std::nullopt;
        }
        if (value->contains(u';')) {
            p.fail(what + QStringLiteral(" holds a ';', which Qt's driver cannot pass on"));
            return std::nullopt;
        }
        if (key == u"host") {
            QStringList names = value->split(u',');
            for (qsizetype i = 0; i < names.size(); ++i)
                if (!p.checkHostName(names[i], QStringLiteral("host %1 of %2").arg(i + 1).arg(what)))
                    return std::nullopt;
            queryHosts = names;
        } else if (key == u"port") {
            QList<int> ports;
            for (QStringView one : QStringView(*value).split(u',')) {
                const auto port = p.port(one, QStringLiteral("port %1 of %2").arg(ports.size() + 1).arg(what));
                if (!port)
                    return std::nullopt;
                ports << *port;
            }
            queryPorts = ports;
        } else if (key == u"user") {
            out.user = *value;
        } else if (key == u"password") {
            out.password = *value;
        } else if (key == u"dbname") {
            out.database = *value;
        } else {
            auto same = std::find_if(out.options.begin(), out.options.end(),
                                     [&](const auto &o) { return o.first == *key; });
            if (same != out.options.end())
                same->second = *value; // the last one counts, as in libpq
            else
                out.options.append({*key, *value});
        }
    }

    // One port for all hosts, or one per host.
    QStringList names;
    for (const HostSpec &h : specs)
        names << h.name;
    QList<std::optional<int>> ports;
    if (queryPorts) {
        for (int port : *queryPorts)
            ports << port;
    } else {
        for (const HostSpec &h : specs)
            ports << h.port;
    }
    if (queryHosts)
        names = *queryHosts;
    if (ports.size() != 1 && ports.size() != names.size()) {
        p.fail(QStringLiteral("%1 ports for %2 hosts").arg(ports.size()).arg(names.size()));
        return std::nullopt;
    }
    for (qsizetype i = 0; i < names.size(); ++i)
        out.hosts.append({names[i], ports[ports.size() == 1 ? 0 : i].value_or(5432)});

    if (out.database.isEmpty()) {
        error = QStringLiteral("database URL names no database");
        return std::nullopt;
    }
    return out;
}

namespace {

QString render(const DatabaseUrl &u, bool withSecrets)
{
    if (u.dialect == Dialect::Sqlite)
        return QStringLiteral("sqlite:") + u.sqlitePath;
    QString out = QStringLiteral("postgresql://");
    const bool password = withSecrets && !u.password.isEmpty();
    if (!u.user.isEmpty() || password) {
        out += encoded(u.user);
        if (password)
            out += u':' + encoded(u.password);
        out += u'@';
    }
    QStringList query;
    const bool defaultHost = u.hosts.size() == 1 && u.hosts[0].name.isEmpty();
    if (defaultHost) {
        // No host to hang the port on: libpq's query form.
        if (u.hosts[0].port != 5432)
            query << QStringLiteral("port=%1").arg(u.hosts[0].port);
    } else {
        QStringList hosts;
        for (const DatabaseUrl::Host &h : u.hosts) {
            // IPv6 in brackets; a socket folder (which may hold ':') encoded.
            const QString name = !h.name.startsWith(u'/') && h.name.contains(u':')
                                     ? u'[' + QString(h.name).replace(u'%', QStringLiteral("%25")) + u']'
                                     : encoded(h.name);
            hosts << name + u':' + QString::number(h.port);
        }
        out += hosts.join(u',');
    }
    out += u'/' + encoded(u.database);
    for (const auto &[key, value] : u.options)
        if (withSecrets || !isSecretOption(key))
            query << key + u'=' + encoded(value);
    if (!query.isEmpty())
        out += u'?' + query.join(u'&');
    return out;
}

} // namespace

QString DatabaseUrl::redacted() const
{
    return render(*this, false);
}

QString DatabaseUrl::toString() const
{
    return render(*this, true);
}

QString DatabaseUrl::hostList() const
{
    QStringList names;
    for (const Host &h : hosts)
        names << h.name;
    return names.join(u',');
}

QString DatabaseUrl::portList() const
{
    QStringList ports;
    for (const Host &h : hosts)
        ports << QString::number(h.port);
    return ports.join(u',');
}

QString DatabaseUrl::connectOptions() const
{
    QStringList out;
    for (const auto &[key, value] : options)
        out << key + u'=' + quotedForLibpq(value);
    return out.join(u';');
}

QString DatabaseUrl::qpsqlOptions() const
{
    // A server that stops answering over TCP (a partition, a host gone
    // without a reset) would otherwise hold a statement until the kernel
    // gives up, about 15 minutes: TCP_USER_TIMEOUT ends the connection once
    // sent data goes unacknowledged for 5 s, keepalives find an idle one
    // dead as soon. The statement then fails (clients get `unavailable`)
    // instead of hanging. Ignored on Unix sockets.
    QString out = QStringLiteral("connect_timeout=5;keepalives=1;keepalives_idle=5;"
                                 "keepalives_interval=2;keepalives_count=2;"
                                 "tcp_user_timeout=5000;port='%1'")
                      .arg(portList());
    if (!options.isEmpty())
        out += u';' + connectOptions();
    return out;
}

} // namespace sanayicin
