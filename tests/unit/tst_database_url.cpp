// DatabaseUrl: libpq's URI forms (one host or several, the query form),
// what is refused and how, redacted(), the canonical rendering, and
// agreement with libpq's own parser on what reaches it.

#include "storage/database_url.h"

#include <QUrl>
#include <QtTest>
#include <libpq-fe.h>
#include <memory>

using namespace sanayicin;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(sanayicin::Dialect)

namespace {

// "name:port,..." with IPv6 names in brackets.
QString hostsText(const DatabaseUrl &u)
{
    QStringList out;
    for (const auto &h : u.hosts)
        out << (!h.name.startsWith(u'/') && h.name.contains(u':') ? u'[' + h.name + u']' : h.name) + u':'
                   + QString::number(h.port);
    return out.join(u',');
}

QString optionsText(const DatabaseUrl &u)
{
    QStringList out;
    for (const auto &[k, v] : u.options)
        out << k + u'=' + v;
    return out.join(u';');
}

// libpq's reading of a connection string (URI or key=value): keyword -> value.
QHash<QString, QString> libpqParse(const QByteArray &conninfo, QString &error)
{
    char *err = nullptr;
    std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption *)> opts(
        PQconninfoParse(conninfo.constData(), &err), PQconninfoFree);
    QHash<QString, QString> out;
    if (!opts) {
        error = QString::fromUtf8(err ? err : "parse failed");
        PQfreemem(err);
        return out;
    }
    for (PQconninfoOption *o = opts.get(); o->keyword; ++o)
        if (o->val)
            out.insert(QString::fromLatin1(o->keyword), QString::fromUtf8(o->val));
    return out;
}

} // namespace

class tst_DatabaseUrl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void postgres_data();
    void postgres();
    void roundTrip_data() { postgres_data(); }
    void roundTrip();
    void libpqAgrees_data() { postgres_data(); }
    void libpqAgrees();
    void sqlite_data();
    void sqlite();
    void refused_data();
    void refused();
    void redacted_data();
    void redacted();
    void everyLibpqKeywordIsAccepted();
    void optionsAreQuotedForLibpq();
    void dialectNames();
    void qpsqlOptionsHaveTimeoutsTheUrlOverrides();
};

void tst_DatabaseUrl::postgres_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("hosts");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("database");
    QTest::addColumn<QString>("options");

    QTest::newRow("full") << u"postgresql://u:p@h:5433/db?sslmode=disable"_s << u"h:5433"_s
                          << u"u"_s << u"p"_s << u"db"_s << u"sslmode=disable"_s;
    QTest::newRow("postgres alias") << u"postgres://u:p@h:5433/db"_s << u"h:5433"_s << u"u"_s
                                    << u"p"_s << u"db"_s << QString();
    QTest::newRow("scheme in capitals") << u"PostgreSQL://h/db"_s << u"h:5432"_s << QString()
                                        << QString() << u"db"_s << QString();
    QTest::newRow("default port") << u"postgresql://u@db.example.com/sanayicin"_s
                                  << u"db.example.com:5432"_s << u"u"_s << QString()
                                  << u"sanayicin"_s << QString();
    QTest::newRow("no user") << u"postgresql://127.0.0.1:6432/app"_s << u"127.0.0.1:6432"_s
                             << QString() << QString() << u"app"_s << QString();
    QTest::newRow("encoded password") << u"postgresql://u:p%40ss%2Fw%3Ard@h/db"_s << u"h:5432"_s
                                      << u"u"_s << u"p@ss/w:rd"_s << u"db"_s << QString();
    QTest::newRow("colons in the password") << u"postgresql://u:p:a:ss@h/db"_s << u"h:5432"_s
                                            << u"u"_s << u"p:a:ss"_s << u"db"_s << QString();
    QTest::newRow("encoded user") << u"postgresql://us%40er%3Ax@h/db"_s << u"h:5432"_s
                                  << u"us@er:x"_s << QString() << u"db"_s << QString();
    QTest::newRow("non-ASCII password, raw") << u"postgresql://u:şifre@h/db"_s << u"h:5432"_s
                                             << u"u"_s << u"şifre"_s << u"db"_s << QString();
    QTest::newRow("non-ASCII password, encoded") << u"postgresql://u:%C5%9Fifre@h/db"_s << u"h:5432"_s
                                                 << u"u"_s << u"şifre"_s << u"db"_s << QString();
    QTest::newRow("empty password") << u"postgresql://u:@h/db"_s << u"h:5432"_s << u"u"_s
                                    << QString() << u"db"_s << QString();
    QTest::newRow("two options") << u"postgresql://u:p@h/db?sslmode=require&application_name=x"_s
                                 << u"h:5432"_s << u"u"_s << u"p"_s << u"db"_s
                                 << u"sslmode=require;application_name=x"_s;
    QTest::newRow("encoded option value") << u"postgresql://h/db?options=-c%20search_path%3Dchat"_s
                                          << u"h:5432"_s << QString() << QString() << u"db"_s
                                          << u"options=-c search_path=chat"_s;
    QTest::newRow("repeated option: the last counts")
        << u"postgresql://h/db?sslmode=disable&sslmode=require&"_s << u"h:5432"_s << QString()
        << QString() << u"db"_s << u"sslmode=require"_s;
    QTest::newRow("socket folder in the query") << u"postgresql://u@localhost/db?host=/var/run/postgresql"_s
                                                << u"/var/run/postgresql:5432"_s << u"u"_s << QString()
                                                << u"db"_s << QString();
    QTest::newRow("socket folder with ':' (fuzz)") << u"postgresql:///db?host=/run/p:g%3F%2F"_s
                                                   << u"/run/p:g?/:5432"_s << QString() << QString()
                                                   << u"db"_s << QString();
    QTest::newRow("socket folder, encoded") << u"postgresql://%2Fvar%2Frun%2Fpostgresql:5433/db"_s
                                            << u"/var/run/postgresql:5433"_s << QString() << QString()
                                            << u"db"_s << QString();
    QTest::newRow("no host: libpq's default") << u"postgresql:///db"_s << u":5432"_s << QString()
                                              << QString() << u"db"_s << QString();
    QTest::newRow("no host, a port") << u"postgresql://u@/db?port=5433"_s << u":5433"_s << u"u"_s
                                     << QString() << u"db"_s << QString();
    QTest::newRow("two hosts with ports") << u"postgresql://u:p@h1:5433,h2:5434/db"_s
                                          << u"h1:5433,h2:5434"_s << u"u"_s << u"p"_s << u"db"_s
                                          << QString();
    QTest::newRow("two hosts without ports") << u"postgresql://u@h1,h2/db"_s << u"h1:5432,h2:5432"_s
                                             << u"u"_s << QString() << u"db"_s << QString();
    QTest::newRow("mixed, IPv6, failover option")
        << u"postgresql://u:p@h1:6000,10.0.0.2,[::1]:7000/db?target_session_attrs=read-write"_s
        << u"h1:6000,10.0.0.2:5432,[::1]:7000"_s << u"u"_s << u"p"_s << u"db"_s
        << u"target_session_attrs=read-write"_s;
    QTest::newRow("IPv6 without port") << u"postgresql://[2001:db8::5]/db"_s
                                       << u"[2001:db8::5]:5432"_s << QString() << QString()
                                       << u"db"_s << QString();
    QTest::newRow("IPv6 with a zone") << u"postgresql://[fe80::1%25eth0]:5432/db"_s
                                      << u"[fe80::1%eth0]:5432"_s << QString() << QString()
                                      << u"db"_s << QString();
    QTest::newRow("query form") << u"postgresql://u@/db?host=h1,h2&port=5433,5434"_s
                                << u"h1:5433,h2:5434"_s << u"u"_s << QString() << u"db"_s
                                << QString();
    QTest::newRow("query form, one port for all") << u"postgresql:///db?host=h1,h2&port=6432"_s
                                                  << u"h1:6432,h2:6432"_s << QString() << QString()
                                                  << u"db"_s << QString();
    QTest::newRow("query hosts take the authority's one port")
        << u"postgresql://x:6000/db?host=h1,::1"_s << u"h1:6000,[::1]:6000"_s << QString()
        << QString() << u"db"_s << QString();
    QTest::newRow("query port replaces the authority's")
        << u"postgresql://h1:1,h2:2/db?port=7000"_s << u"h1:7000,h2:7000"_s << QString() << QString()
        << u"db"_s << QString();
    QTest::newRow("user, password and database in the query")
        << u"postgresql://h/x?user=a&password=b%26c&dbname=chat"_s << u"h:5432"_s << u"a"_s
        << u"b&c"_s << u"chat"_s << QString();
    QTest::newRow("encoded database name") << u"postgresql://h/my%2Fdb%20x"_s << u"h:5432"_s
                                           << QString() << QString() << u"my/db x"_s << QString();
    QTest::newRow("ports at the edges") << u"postgresql://a:1,b:65535,c:00080/db"_s
                                        << u"a:1,b:65535,c:80"_s << QString() << QString()
                                        << u"db"_s << QString();
}

void tst_DatabaseUrl::postgres()
{
    QFETCH(QString, url);
    QFETCH(QString, hosts);
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(QString, database);
    QFETCH(QString, options);
    QString error;
    const auto u = DatabaseUrl::parse(url, u"/data"_s, error);
    QVERIFY2(u, qPrintable(error));
    QCOMPARE(u->dialect, Dialect::Postgres);
    QCOMPARE(hostsText(*u), hosts);
    QCOMPARE(u->user, user);
    QCOMPARE(u->password, password);
    QCOMPARE(u->database, database);
    QCOMPARE(optionsText(*u), options);
}

// The canonical rendering reads back to the same fields.
void tst_DatabaseUrl::roundTrip()
{
    QFETCH(QString, url);
    QString error;
    const auto u = DatabaseUrl::parse(url, u"/data"_s, error);
    QVERIFY2(u, qPrintable(error));
    const auto again = DatabaseUrl::parse(u->toString(), u"/data"_s, error);
    QVERIFY2(again, qPrintable(u->toString() + u": "_s + error));
    QVERIFY2(*again == *u, qPrintable(u->toString()));
    QCOMPARE(again->toString(), u->toString());
}

// libpq reads our canonical URL, and the key=value string QPSQL builds from
// our fields, to the same host and port lists, user, password and database.
void tst_DatabaseUrl::libpqAgrees()
{
    QFETCH(QString, url);
    QString error;
    const auto u = DatabaseUrl::parse(url, u"/data"_s, error);
    QVERIFY2(u, qPrintable(error));
    const bool defaultHost = u->hosts.size() == 1 && u->hosts[0].name.isEmpty();
    auto check = [&](const QHash<QString, QString> &libpq) {
        QCOMPARE(libpq.value(u"host"_s), defaultHost ? QString() : u->hostList());
        if (!defaultHost || u->hosts[0].port != 5432)
            QCOMPARE(libpq.value(u"port"_s), u->portList());
        QCOMPARE(libpq.value(u"user"_s), u->user);
        QCOMPARE(libpq.value(u"password"_s), u->password);
        QCOMPARE(libpq.value(u"dbname"_s), u->database);
        for (const auto &[k, v] : u->options)
            QCOMPARE(libpq.value(k), v);
    };
    const auto fromUri = libpqParse(u->toString().toUtf8(), error);
    QVERIFY2(!fromUri.isEmpty(), qPrintable(error));
    check(fromUri);
    if (QTest::currentTestFailed())
        return;
    // What QPSQL 6.4 writes: host='...' dbname='...' user='...' password='...'
    // and our options with ';' turned into spaces.
    auto quote = [](QString s) {
        s.replace(u'\\', u"\\\\"_s).replace(u'\'', u"\\'"_s);
        return u'\'' + s + u'\'';
    };
    QString conninfo;
    if (!u->hostList().isEmpty())
        conninfo += u"host="_s + quote(u->hostList());
    conninfo += u" dbname="_s + quote(u->database);
    if (!u->user.isEmpty())
        conninfo += u" user="_s + quote(u->user);
    if (!u->password.isEmpty())
        conninfo += u" password="_s + quote(u->password);
    conninfo += u' ' + u->qpsqlOptions().replace(u';', u' ');
    const auto fromConninfo = libpqParse(conninfo.toUtf8(), error);
    QVERIFY2(!fromConninfo.isEmpty(), qPrintable(error));
    QCOMPARE(fromConninfo.value(u"host"_s), u->hostList());
    QCOMPARE(fromConninfo.value(u"port"_s), u->portList());
    QCOMPARE(fromConninfo.value(u"user"_s), u->user);
    QCOMPARE(fromConninfo.value(u"password"_s), u->password);
    QCOMPARE(fromConninfo.value(u"dbname"_s), u->database);
    for (const auto &[k, v] : u->options)
        QCOMPARE(fromConninfo.value(k), v);
}

void tst_DatabaseUrl::sqlite_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("path");
    QTest::newRow("absolute") << u"sqlite:///var/lib/s/db.sqlite"_s << u"/var/lib/s/db.sqlite"_s;
    QTest::newRow("absolute, one slash") << u"sqlite:/var/lib/s/db.sqlite"_s
                                         << u"/var/lib/s/db.sqlite"_s;
    QTest::newRow("relative under data dir") << u"sqlite:chat.sqlite"_s
                                             << u"/srv/data/chat.sqlite"_s;
    QTest::newRow("relative subfolder") << u"sqlite:sub/chat.sqlite"_s
                                        << u"/srv/data/sub/chat.sqlite"_s;
    QTest::newRow("empty means default file") << QString() << u"/srv/data/sanayicin.sqlite"_s;
}

void tst_DatabaseUrl::sqlite()
{
    QFETCH(QString, url);
    QFETCH(QString, path);
    QString error;
    const auto u = DatabaseUrl::parse(url, u"/srv/data"_s, error);
    QVERIFY2(u, qPrintable(error));
    QCOMPARE(u->dialect, Dialect::Sqlite);
    QCOMPARE(u->sqlitePath, path);
    QCOMPARE(u->redacted(), u"sqlite:"_s + path);
}

void tst_DatabaseUrl::refused_data()
{
    // Each names the fault; none quotes the password ("Secret9").
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("says");
    auto row = [](const char *name, const QString &url, const QString &says) {
        QTest::newRow(name) << url << says;
    };
    const QString scheme = u"must start with postgresql://"_s;
    row("mysql", u"mysql://u:Secret9@h/db"_s, scheme);
    row("http", u"http://h/db"_s, scheme);
    row("no scheme", u"h:5432/db"_s, scheme);
    row("garbage", u"not a url"_s, scheme);
    row("one slash", u"postgresql:/h/db"_s, scheme);
    row("without database", u"postgresql://u:Secret9@h:5432"_s, u"names no database"_s);
    row("only a slash", u"postgresql://u:Secret9@h:5432/"_s, u"names no database"_s);
    row("sqlite without path", u"sqlite:"_s, u"needs a path"_s);
    row("sqlite with only slashes", u"sqlite://"_s, u"needs a path"_s);
    const QString range = u"from 1 to 65535"_s;
    row("port 0", u"postgresql://u:Secret9@h:0/db"_s, range);
    row("port 65536", u"postgresql://u:Secret9@h:65536/db"_s, range);
    row("port 99999", u"postgresql://u:Secret9@h:99999/db"_s, range);
    row("port 2^63", u"postgresql://u:Secret9@h:9223372036854775808/db"_s, range);
    row("port 2^64", u"postgresql://u:Secret9@h:18446744073709551616/db"_s, range);
    row("port 2^64-1", u"postgresql://u:Secret9@h:18446744073709551615/db"_s, range);
    row("port -1", u"postgresql://u:Secret9@h:-1/db"_s, range);
    row("port +5432", u"postgresql://u:Secret9@h:+5432/db"_s, range);
    row("port with a space", u"postgresql://u:Secret9@h: 5432/db"_s, range);
    row("port in hex", u"postgresql://u:Secret9@h:0x10/db"_s, range);
    row("empty port", u"postgresql://u:Secret9@h:/db"_s, range);
    row("empty port in a list", u"postgresql://u:Secret9@h1:5432,h2:/db"_s, range);
    row("port 0 in the query", u"postgresql://h/db?port=0"_s, range);
    row("empty port in the query", u"postgresql://h/db?port=5432,"_s, range);
    row("empty host in a list", u"postgresql://u:Secret9@h1,,h2/db"_s, u"host 2 is empty"_s);
    row("list starting with ','", u"postgresql://u:Secret9@,h1/db"_s, u"host 1 is empty"_s);
    row("list ending with ','", u"postgresql://u:Secret9@h1,/db"_s, u"host 2 is empty"_s);
    row("only a port", u"postgresql://u:Secret9@:5432/db"_s, u"host 1 is empty"_s);
    row("empty host in the query", u"postgresql://h/db?host=a,,b"_s, u"is empty"_s);
    row("too many colons", u"postgresql://u:Secret9@h:1:2/db"_s, u"more than one ':'"_s);
    row("IPv6 without brackets", u"postgresql://u:Secret9@::1/db"_s, u"more than one ':'"_s);
    row("encoded colons", u"postgresql://u:Secret9@%3A%3A1/db"_s, u"more than one ':'"_s);
    row("unterminated bracket", u"postgresql://u:Secret9@[::1/db"_s, u"unterminated '['"_s);
    row("unterminated bracket with port", u"postgresql://u:Secret9@[::1:5432/db"_s,
        u"unterminated '['"_s);
    row("text after the bracket", u"postgresql://u:Secret9@[::1]x/db"_s, u"after ']'"_s);
    row("empty brackets", u"postgresql://u:Secret9@[]/db"_s, u"IPv6"_s);
    row("brackets around a name", u"postgresql://u:Secret9@[db.example]/db"_s, u"IPv6"_s);
    row("bad IPv6 zone", u"postgresql://[fe80::1%25]/db"_s, u"IPv6"_s);
    row("bad IPv6 in the query", u"postgresql://h/db?host=1:2:x"_s, u"IPv6"_s);
    row("space in a host", u"postgresql://u:Secret9@h%20h/db"_s, u"not a host name"_s);
    row("unencoded '@' in the password", u"postgresql://u:Sec@ret9@h/db"_s, u"%40"_s);
    row("unencoded '/' in the password", u"postgresql://u:Secret9/x@h/db"_s, u"from 1 to 65535"_s);
    row("3 hosts, 2 ports", u"postgresql://h/db?host=a,b,c&port=1,2"_s, u"2 ports for 3 hosts"_s);
    row("2 authority ports, 3 query hosts", u"postgresql://u:Secret9@h1:1,h2:2/db?host=a,b,c"_s,
        u"2 ports for 3 hosts"_s);
    row("unknown option", u"postgresql://u:Secret9@h/db?sslmod=require"_s, u"libpq's connection keywords"_s);
    row("debug-only option", u"postgresql://h/db?replication=true"_s, u"libpq's connection keywords"_s);
    row("option without '='", u"postgresql://u:Secret9@h/db?sslmode"_s, u"no '='"_s);
    row("empty key", u"postgresql://h/db?=x"_s, u"libpq's connection keywords"_s);
    row("';' in an option", u"postgresql://h/db?application_name=a;b"_s, u"';'"_s);
    row("bad percent", u"postgresql://u:Secret9%zz@h/db"_s, u"two hex digits"_s);
    row("short percent", u"postgresql://u:Secret9@h/db%4"_s, u"two hex digits"_s);
    row("lone percent", u"postgresql://u:Secret9@h/db?sslmode=%"_s, u"two hex digits"_s);
    row("NUL", u"postgresql://u:Secret9%00@h/db"_s, u"NUL"_s);
    row("invalid UTF-8", u"postgresql://u:Secret9%ff@h/db"_s, u"not UTF-8"_s);
    row("overlong UTF-8", u"postgresql://u:Secret9@h/%C0%AF"_s, u"not UTF-8"_s);
    row("fragment", u"postgresql://u:Secret9@h/db#x"_s, u"'#'"_s);
}

void tst_DatabaseUrl::refused()
{
    QFETCH(QString, url);
    QFETCH(QString, says);
    QString error;
    QVERIFY(!DatabaseUrl::parse(url, u"/data"_s, error));
    QVERIFY2(error.contains(says), qPrintable(error));
    QVERIFY2(!error.contains(u"Secret9"_s) && !error.contains(u"ret9"_s), qPrintable(error));
}

void tst_DatabaseUrl::redacted_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << u"postgresql://alice:s3cr3t-pass@db:5433/chat?sslmode=disable"_s
                           << u"postgresql://alice@db:5433/chat?sslmode=disable"_s;
    QTest::newRow("encoded") << u"postgres://bob:p%40ss@db/chat"_s << u"postgresql://bob@db:5432/chat"_s;
    QTest::newRow("several hosts") << u"postgresql://u:s3cr3t-pass@h1:1,[::1],h3/chat?target_session_attrs=read-write"_s
                                   << u"postgresql://u@h1:1,[::1]:5432,h3:5432/chat?target_session_attrs=read-write"_s;
    QTest::newRow("password in the query") << u"postgresql://h/chat?password=s3cr3t-pass&user=u"_s
                                           << u"postgresql://u@h:5432/chat"_s;
    QTest::newRow("sslpassword") << u"postgresql://u:s3cr3t-pass@h/chat?sslpassword=s3cr3t-pass&sslmode=verify-full"_s
                                 << u"postgresql://u@h:5432/chat?sslmode=verify-full"_s;
    QTest::newRow("only a password") << u"postgresql://:s3cr3t-pass@h/chat"_s
                                     << u"postgresql://h:5432/chat"_s;
    QTest::newRow("socket") << u"postgresql://u:s3cr3t-pass@/chat?host=/run/pg&port=5433"_s
                            << u"postgresql://u@%2Frun%2Fpg:5433/chat"_s;
}

void tst_DatabaseUrl::redacted()
{
    QFETCH(QString, url);
    QFETCH(QString, expected);
    QString error;
    const auto u = DatabaseUrl::parse(url, u"/data"_s, error);
    QVERIFY2(u, qPrintable(error));
    QCOMPARE(u->redacted(), expected);
    for (const QString &secret : {u"s3cr3t-pass"_s, u"p@ss"_s, u"p%40ss"_s})
        QVERIFY(!u->redacted().contains(secret));
    // It reads back to the same place, with no secret.
    const auto back = DatabaseUrl::parse(u->redacted(), u"/data"_s, error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->password, QString());
    QCOMPARE(back->hosts, u->hosts);
    QCOMPARE(back->database, u->database);
}

// Every keyword the linked libpq knows (but the debug-only ones) is taken.
void tst_DatabaseUrl::everyLibpqKeywordIsAccepted()
{
    std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption *)> defaults(PQconndefaults(),
                                                                            PQconninfoFree);
    QVERIFY(defaults);
    int n = 0;
    for (PQconninfoOption *o = defaults.get(); o->keyword; ++o) {
        if (o->dispchar && o->dispchar[0] == 'D')
            continue;
        const QString key = QString::fromLatin1(o->keyword);
        const QString value = key == u"port" ? u"5433"_s : key == u"host" ? u"h2"_s : u"x"_s;
        QString error;
        const auto u = DatabaseUrl::parse(u"postgresql://h/db?%1=%2"_s.arg(key, value), QString(), error);
        QVERIFY2(u, qPrintable(key + u": "_s + error));
        ++n;
    }
    QVERIFY(n > 30);
}

void tst_DatabaseUrl::optionsAreQuotedForLibpq()
{
    QString error;
    const auto u = DatabaseUrl::parse(
        u"postgresql://h/db?application_name=it's%20a%20\\test&target_session_attrs=read-write"_s,
        QString(), error);
    QVERIFY2(u, qPrintable(error));
    QCOMPARE(u->connectOptions(),
             u"application_name='it\\'s a \\\\test';target_session_attrs='read-write'"_s);
}

void tst_DatabaseUrl::dialectNames()
{
    QCOMPARE(QByteArray(dialectName(Dialect::Postgres)), QByteArray("postgresql"));
    QCOMPARE(QByteArray(dialectName(Dialect::Sqlite)), QByteArray("sqlite"));
}

// Db hands QPSQL timeouts and keepalives of its own (a partition must end a
// statement, not hold it for the kernel's 15 minutes); the URL's options win.
void tst_DatabaseUrl::qpsqlOptionsHaveTimeoutsTheUrlOverrides()
{
    QString error;
    const auto plain = DatabaseUrl::parse(u"postgresql://u@h1:5433,h2/db"_s, QString(), error);
    QVERIFY2(plain, qPrintable(error));
    auto parsed = libpqParse((u"host=h dbname=db "_s + plain->qpsqlOptions().replace(u';', u' ')).toUtf8(), error);
    QVERIFY2(!parsed.isEmpty(), qPrintable(error));
    QCOMPARE(parsed.value(u"connect_timeout"_s), u"5"_s);
    QCOMPARE(parsed.value(u"tcp_user_timeout"_s), u"5000"_s);
    QCOMPARE(parsed.value(u"keepalives"_s), u"1"_s);
    QCOMPARE(parsed.value(u"port"_s), u"5433,5432"_s);

    const auto tuned = DatabaseUrl::parse(
        u"postgresql://u@h/db?tcp_user_timeout=0&connect_timeout=9&keepalives_idle=60"_s, QString(), error);
    QVERIFY2(tuned, qPrintable(error));
    parsed = libpqParse((u"host=h dbname=db "_s + tuned->qpsqlOptions().replace(u';', u' ')).toUtf8(), error);
    QVERIFY2(!parsed.isEmpty(), qPrintable(error));
    QCOMPARE(parsed.value(u"connect_timeout"_s), u"9"_s);
    QCOMPARE(parsed.value(u"tcp_user_timeout"_s), u"0"_s);
    QCOMPARE(parsed.value(u"keepalives_idle"_s), u"60"_s);
    QCOMPARE(parsed.value(u"keepalives_count"_s), u"2"_s);
}

QTEST_APPLESS_MAIN(tst_DatabaseUrl)
#include "tst_database_url.moc"
