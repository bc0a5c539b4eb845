// RedisUrl: the --redis setting, with ACL user and password (percent-
// decoded), and what it refuses; the password never shows in redacted().

#include "bridge/redis_url.h"

#include <QtTest>

using namespace sanayicin;
using namespace Qt::StringLiterals;

class tst_RedisUrl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void accepted_data();
    void accepted();
    void refused_data();
    void refused();
    void redactedHidesThePassword();
    void roundTrip_data();
    void roundTrip();
    void sentinelAccepted_data();
    void sentinelAccepted();
    void sentinelRefused_data();
    void sentinelRefused();
    void sentinelTruncated();
    void sentinelRoundTrip();
    void sentinelAuthAccepted_data();
    void sentinelAuthAccepted();
    void sentinelAuthRoundTrip();
};

void tst_RedisUrl::accepted_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<int>("db");
    QTest::newRow("plain") << u"redis://127.0.0.1:6379/0"_s << u"127.0.0.1"_s << 6379 << QString() << QString() << 0;
    QTest::newRow("defaults") << u"redis://localhost"_s << u"localhost"_s << 6379 << QString() << QString() << 0;
    QTest::newRow("trailing slash") << u"redis://h/"_s << u"h"_s << 6379 << QString() << QString() << 0;
    QTest::newRow("password only") << u"redis://:s3cret@h:1/2"_s << u"h"_s << 1 << QString() << u"s3cret"_s << 2;
    QTest::newRow("acl user") << u"redis://sanayicin:pw@127.0.0.1:6380/3"_s << u"127.0.0.1"_s << 6380
                              << u"sanayicin"_s << u"pw"_s << 3;
    QTest::newRow("percent-encoded") << u"redis://us%40er:p%3Aa%2Fs%40s%25%20w@h:65535/0"_s << u"h"_s << 65535
                                     << u"us@er"_s << u"p:a/s@s% w"_s << 0;
    QTest::newRow("utf-8 password") << u"redis://u:%C5%9Fifre@h"_s << u"h"_s << 6379 << u"u"_s << u"şifre"_s << 0;
    QTest::newRow("ipv6") << u"redis://u:p@[::1]:7000/1"_s << u"::1"_s << 7000 << u"u"_s << u"p"_s << 1;
    QTest::newRow("db limit") << u"redis://h/1048576"_s << u"h"_s << 6379 << QString() << QString() << 1048576;
}

void tst_RedisUrl::accepted()
{
    QFETCH(QString, url);
    QString error;
    const auto parsed = RedisUrl::parse(url, error);
    QVERIFY2(parsed, qPrintable(error));
    QTEST(parsed->host, "host");
    QTEST(parsed->port, "port");
    QTEST(parsed->user, "user");
    QTEST(parsed->password, "password");
    QTEST(parsed->db, "db");
}

void tst_RedisUrl::refused_data()
{
    QTest::addColumn<QString>("url");
    QTest::newRow("empty") << QString();
    QTest::newRow("scheme") << u"rediss://h:1/0"_s;
    QTest::newRow("no host") << u"redis:///0"_s;
    QTest::newRow("user without password") << u"redis://user@h/0"_s;
    QTest::newRow("db not a number") << u"redis://h/x"_s;
    QTest::newRow("db negative") << u"redis://h/-1"_s;
    QTest::newRow("db plus") << u"redis://h/+1"_s;
    QTest::newRow("db past limit") << u"redis://h/1048577"_s;
    QTest::newRow("db 2^63") << u"redis://h/9223372036854775808"_s;
    QTest::newRow("db 2^64-1") << u"redis://h/18446744073709551615"_s;
    QTest::newRow("port 0") << u"redis://h:0/0"_s;
    QTest::newRow("port 65536") << u"redis://h:65536/0"_s;
    QTest::newRow("query") << u"redis://h/0?password=x"_s;
    QTest::newRow("fragment") << u"redis://h/0#x"_s;
    QTest::newRow("control in password") << u"redis://u:a%0Ab@h/0"_s;
    QTest::newRow("nul in user") << u"redis://u%00:p@h/0"_s;
    QTest::newRow("bad escape") << u"redis://u:%zz@h/0"_s;
    // Found by fuzz_redis_url: these read back as something else after toString().
    QTest::newRow("invalid utf-8 in password") << u"redis://:s%F3%BF%BF%BF%BF@h/0"_s;
    QTest::newRow("lone surrogate in password") << u"redis://:a%ED%A0%80b@h/0"_s;
    QTest::newRow("noncharacter in password") << (u"redis://:a"_s + QChar(0xfffe) + u"@h/0"_s);
    QTest::newRow("replacement character in user") << u"redis://%EF%BF%BD:p@h/0"_s;
    QTest::newRow("password too long") << (u"redis://u:"_s + QString(4097, u'x') + u"@h/0"_s);
}

void tst_RedisUrl::refused()
{
    QFETCH(QString, url);
    QString error;
    QVERIFY(!RedisUrl::parse(url, error));
    QVERIFY(!error.isEmpty());
    // The value is never echoed.
    QVERIFY2(!error.contains(u"password=x"_s) && !error.contains(u"=a"_s), qPrintable(error));
}

void tst_RedisUrl::redactedHidesThePassword()
{
    QString error;
    const auto url = RedisUrl::parse(u"redis://sanayicin:Tr0ub4dor%263@10.0.0.5:6379/2"_s, error);
    QVERIFY(url);
    QCOMPARE(url->redacted(), u"redis://sanayicin@10.0.0.5:6379/2"_s);
    QVERIFY(!url->redacted().contains(u"Tr0ub4dor"_s));
}

void tst_RedisUrl::roundTrip_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::newRow("none") << QString() << QString();
    QTest::newRow("password") << QString() << u"pw"_s;
    QTest::newRow("every special") << u"a:b@c/d%e f"_s << u"!#$&'()*+,;=?@[]:/% \"<>\\^`{|}~"_s;
    QTest::newRow("unicode") << u"kullanıcı"_s << u"şifre🔑"_s;
}

void tst_RedisUrl::roundTrip()
{
    QFETCH(QString, user);
    QFETCH(QString, password);
    RedisUrl u;
    u.host = u"redis.internal"_s;
    u.port = 6390;
    u.user = user;
    u.password = password;
    u.db = 7;
    QString error;
    const auto back = RedisUrl::parse(u.toString(), error);
    QVERIFY2(back, qPrintable(error + u" in "_s + u.toString()));
    QCOMPARE(back->user, user);
    QCOMPARE(back->password, password);
    QCOMPARE(back->host, u.host);
    QCOMPARE(back->port, 6390);
    QCOMPARE(back->db, 7);
}

using Nodes = QList<RedisUrl::Node>;

void tst_RedisUrl::sentinelAccepted_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<Nodes>("sentinels");
    QTest::addColumn<QString>("master");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<int>("db");
    QTest::newRow("one, default port") << u"redis+sentinel://h/mymaster"_s << Nodes{{u"h"_s, 26379}}
                                       << u"mymaster"_s << QString() << QString() << 0;
    QTest::newRow("three, db") << u"redis+sentinel://a:1,b:26380,127.0.0.1:65535/m.a_s-t3/4"_s
                               << Nodes{{u"a"_s, 1}, {u"b"_s, 26380}, {u"127.0.0.1"_s, 65535}} << u"m.a_s-t3"_s
                               << QString() << QString() << 4;
    QTest::newRow("password, trailing slash") << u"redis+sentinel://:p%40w@h:2/m/"_s << Nodes{{u"h"_s, 2}}
                                              << u"m"_s << QString() << u"p@w"_s << 0;
    QTest::newRow("acl user, ipv6") << u"redis+sentinel://u:p@[::1]:7,h/m/1"_s
                                    << Nodes{{u"::1"_s, 7}, {u"h"_s, 26379}} << u"m"_s << u"u"_s << u"p"_s << 1;
    QString many = u"redis+sentinel://"_s;
    Nodes sixteen;
    for (int i = 1; i <= 16; ++i) {
        many += (i > 1 ? u","_s : QString()) + u"h%1:%1"_s.arg(i);
        sixteen.append({u"h%1"_s.arg(i), i});
    }
    QTest::newRow("sixteen") << many + u"/m"_s << sixteen << u"m"_s << QString() << QString() << 0;
    QTest::newRow("name 64") << (u"redis+sentinel://h/"_s + QString(64, u'n')) << Nodes{{u"h"_s, 26379}}
                             << QString(64, u'n') << QString() << QString() << 0;
}

void tst_RedisUrl::sentinelAccepted()
{
    QFETCH(QString, url);
    QFETCH(Nodes, sentinels);
    QString error;
    const auto parsed = RedisUrl::parse(url, error);
    QVERIFY2(parsed, qPrintable(error));
    QVERIFY(parsed->viaSentinel());
    QCOMPARE(parsed->sentinels, sentinels);
    QCOMPARE(parsed->host, sentinels.front().host);
    QCOMPARE(parsed->port, sentinels.front().port);
    QTEST(parsed->masterName, "master");
    QTEST(parsed->user, "user");
    QTEST(parsed->password, "password");
    QTEST(parsed->db, "db");
    QVERIFY(!parsed->redacted().contains(u"p@w"_s));
}

void tst_RedisUrl::sentinelRefused_data()
{
    QTest::addColumn<QString>("url");
    QTest::newRow("no host") << u"redis+sentinel:///m"_s;
    QTest::newRow("empty host among many") << u"redis+sentinel://a:1,,b:2/m"_s;
    QTest::newRow("trailing comma") << u"redis+sentinel://a:1,/m"_s;
    QTest::newRow("no name") << u"redis+sentinel://h"_s;
    QTest::newRow("empty name") << u"redis+sentinel://h//0"_s;
    QTest::newRow("empty name, no db") << u"redis+sentinel://h/"_s;
    QTest::newRow("name 65") << (u"redis+sentinel://h/"_s + QString(65, u'n'));
    QTest::newRow("name with escape") << u"redis+sentinel://h/m%20x"_s;
    QTest::newRow("name with space") << u"redis+sentinel://h/m x"_s;
    QTest::newRow("name non-ascii") << u"redis+sentinel://h/ş"_s;
    QTest::newRow("port 0") << u"redis+sentinel://h:0/m"_s;
    QTest::newRow("port 65536") << u"redis+sentinel://a:1,h:65536/m"_s;
    QTest::newRow("port 2^64-1") << u"redis+sentinel://h:18446744073709551615/m"_s;
    QTest::newRow("port not a number") << u"redis+sentinel://h:x/m"_s;
    QTest::newRow("seventeen") << u"redis+sentinel://h,h,h,h,h,h,h,h,h,h,h,h,h,h,h,h,h/m"_s;
    QTest::newRow("db negative") << u"redis+sentinel://h/m/-1"_s;
    QTest::newRow("db past limit") << u"redis+sentinel://h/m/1048577"_s;
    QTest::newRow("db 2^63") << u"redis+sentinel://h/m/9223372036854775808"_s;
    QTest::newRow("extra path") << u"redis+sentinel://h/m/0/1"_s;
    QTest::newRow("unknown parameter") << u"redis+sentinel://h/m?password=x"_s;
    QTest::newRow("fragment") << u"redis+sentinel://h/m#x"_s;
    QTest::newRow("bad escape") << u"redis+sentinel://u:%zz@h/m"_s;
    QTest::newRow("truncated escape") << u"redis+sentinel://u:%4@h/m"_s;
    QTest::newRow("invalid utf-8 in password") << u"redis+sentinel://:%FF@h/m"_s;
    QTest::newRow("user without password") << u"redis+sentinel://u@h/m"_s;
    QTest::newRow("control in password") << u"redis+sentinel://:a%0Ab@h/m"_s;
    QTest::newRow("upper-case scheme") << u"REDIS+SENTINEL://h/m"_s;
    QTest::newRow("sentinel auth: empty query") << u"redis+sentinel://h/m?"_s;
    QTest::newRow("sentinel auth: empty password") << u"redis+sentinel://h/m?sentinel_password="_s;
    QTest::newRow("sentinel auth: no '='") << u"redis+sentinel://h/m?sentinel_password"_s;
    QTest::newRow("sentinel auth: user alone") << u"redis+sentinel://h/m?sentinel_user=w"_s;
    QTest::newRow("sentinel auth: user, empty password") << u"redis+sentinel://h/m?sentinel_user=w&sentinel_password="_s;
    QTest::newRow("sentinel auth: twice") << u"redis+sentinel://h/m?sentinel_password=a&sentinel_password=b"_s;
    QTest::newRow("sentinel auth: unknown beside") << u"redis+sentinel://h/m?sentinel_password=a&db=1"_s;
    QTest::newRow("sentinel auth: empty pair") << u"redis+sentinel://h/m?sentinel_password=a&&"_s;
    QTest::newRow("sentinel auth: name in upper case") << u"redis+sentinel://h/m?SENTINEL_PASSWORD=a"_s;
    QTest::newRow("sentinel auth: bad escape") << u"redis+sentinel://h/m?sentinel_password=%zz"_s;
    QTest::newRow("sentinel auth: truncated escape") << u"redis+sentinel://h/m?sentinel_password=a%4"_s;
    QTest::newRow("sentinel auth: invalid utf-8") << u"redis+sentinel://h/m?sentinel_password=%FF"_s;
    QTest::newRow("sentinel auth: overlong utf-8") << u"redis+sentinel://h/m?sentinel_password=%C0%AF"_s;
    QTest::newRow("sentinel auth: NUL") << u"redis+sentinel://h/m?sentinel_password=a%00"_s;
    QTest::newRow("sentinel auth: control") << u"redis+sentinel://h/m?sentinel_password=a%0Ab"_s;
    QTest::newRow("sentinel auth: raw space") << u"redis+sentinel://h/m?sentinel_password=a b"_s;
    QTest::newRow("sentinel auth: 4097") << (u"redis+sentinel://h/m?sentinel_password="_s + QString(4097, u'x'));
    QTest::newRow("sentinel auth: fragment") << u"redis+sentinel://h/m?sentinel_password=a#b"_s;
    QTest::newRow("sentinel auth: before the master") << u"redis+sentinel://h?sentinel_password=a/m"_s;
    QTest::newRow("sentinel auth: plain redis URL") << u"redis://h/0?sentinel_password=a"_s;
}

void tst_RedisUrl::sentinelRefused()
{
    QFETCH(QString, url);
    QString error;
    QVERIFY(!RedisUrl::parse(url, error));
    QVERIFY(!error.isEmpty());
    QVERIFY2(!error.contains(u"password=x"_s), qPrintable(error));
}

// Cut at every character, a valid URL parses into something that holds
// together or is refused with a reason; never a crash or an empty reason.
void tst_RedisUrl::sentinelTruncated()
{
    const QStringList urls{u"redis+sentinel://u:p%40ss@127.0.0.1:26379,[::1]:26380,h:1/master.1/5"_s,
                           u"redis+sentinel://u:p@h:1/m/3?sentinel_user=w%40x&sentinel_password=s%26t"_s};
    for (const QString &full : urls) {
        for (qsizetype n = 0; n <= full.size(); ++n) {
            QString error;
            const auto url = RedisUrl::parse(full.left(n), error);
            if (!url) {
                QVERIFY2(!error.isEmpty(), qPrintable(full.left(n)));
                continue;
            }
            QString again;
            const auto back = RedisUrl::parse(url->toString(), again);
            QVERIFY2(back, qPrintable(full.left(n) + u": "_s + again));
            QCOMPARE(back->sentinels, url->sentinels);
            QCOMPARE(back->masterName, url->masterName);
            QCOMPARE(back->db, url->db);
            QCOMPARE(back->sentinelUser, url->sentinelUser);
            QCOMPARE(back->sentinelPassword, url->sentinelPassword);
            QVERIFY(!url->sentinelPassword.isEmpty() || url->sentinelUser.isEmpty());
        }
    }
}

void tst_RedisUrl::sentinelRoundTrip()
{
    RedisUrl u;
    u.sentinels = {{u"s1.internal"_s, 26379}, {u"::1"_s, 1}, {u"10.0.0.3"_s, 65535}};
    u.host = u.sentinels.front().host;
    u.port = u.sentinels.front().port;
    u.masterName = u"sanayicin"_s;
    u.user = u"a:b@c/d,e"_s;
    u.password = u"!#$&'()*+,;=?@[]:/% "_s;
    u.db = 3;
    QString error;
    const auto back = RedisUrl::parse(u.toString(), error);
    QVERIFY2(back, qPrintable(error + u" in "_s + u.toString()));
    QCOMPARE(back->sentinels, u.sentinels);
    QCOMPARE(back->masterName, u.masterName);
    QCOMPARE(back->user, u.user);
    QCOMPARE(back->password, u.password);
    QCOMPARE(back->db, 3);
    QCOMPARE(back->redacted(), u"redis+sentinel://a:b@c/d,e@s1.internal:26379,::1:1,10.0.0.3:65535/sanayicin/3"_s);
}

// The sentinels' own credentials: query parameters, percent-decoded, '+'
// a plus; the data nodes' user and password stay in the user info.
void tst_RedisUrl::sentinelAuthAccepted_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("sentinelUser");
    QTest::addColumn<QString>("sentinelPassword");
    QTest::addColumn<QString>("password");
    QTest::newRow("password") << u"redis+sentinel://h/m?sentinel_password=s3"_s << QString() << u"s3"_s
                              << QString();
    QTest::newRow("user and password, db")
        << u"redis+sentinel://u:p@h:1,k/m/2?sentinel_user=watch&sentinel_password=zq9"_s << u"watch"_s << u"zq9"_s
        << u"p"_s;
    QTest::newRow("either order") << u"redis+sentinel://h/m?sentinel_password=zq8&sentinel_user=w"_s << u"w"_s
                                  << u"zq8"_s << QString();
    QTest::newRow("escapes, plus is a plus")
        << u"redis+sentinel://h/m?sentinel_password=a%26b%3Dc+d%25%23%3F%2F"_s << QString()
        << u"a&b=c+d%#?/"_s << QString();
    QTest::newRow("utf-8") << u"redis+sentinel://h/m?sentinel_password=%C5%9Fifre"_s << QString() << u"şifre"_s
                           << QString();
    QTest::newRow("raw '=' in the value") << u"redis+sentinel://h/m?sentinel_password=a=b"_s << QString()
                                          << u"a=b"_s << QString();
    QTest::newRow("4096") << (u"redis+sentinel://h/m?sentinel_password="_s + QString(4096, u'x')) << QString()
                          << QString(4096, u'x') << QString();
}

void tst_RedisUrl::sentinelAuthAccepted()
{
    QFETCH(QString, url);
    QString error;
    const auto parsed = RedisUrl::parse(url, error);
    QVERIFY2(parsed, qPrintable(error));
    QTEST(parsed->sentinelUser, "sentinelUser");
    QTEST(parsed->sentinelPassword, "sentinelPassword");
    QTEST(parsed->password, "password");
    QCOMPARE(parsed->masterName, u"m"_s);
    QVERIFY(!parsed->redacted().contains(parsed->sentinelPassword));
    QVERIFY(!parsed->redacted().contains(u"sentinel_password"_s));
}

void tst_RedisUrl::sentinelAuthRoundTrip()
{
    RedisUrl u;
    u.sentinels = {{u"h"_s, 1}};
    u.host = u"h"_s;
    u.port = 1;
    u.masterName = u"m"_s;
    u.sentinelUser = u"a&b=c"_s;
    u.sentinelPassword = u"!#$&'()*+,;=?@[]:/% ş"_s;
    QString error;
    const auto back = RedisUrl::parse(u.toString(), error);
    QVERIFY2(back, qPrintable(error + u" in "_s + u.toString()));
    QCOMPARE(back->sentinelUser, u.sentinelUser);
    QCOMPARE(back->sentinelPassword, u.sentinelPassword);
    QCOMPARE(back->redacted(), u"redis+sentinel://h:1/m/0 (sentinel user a&b=c)"_s);
}

QTEST_GUILESS_MAIN(tst_RedisUrl)
#include "tst_redis_url.moc"
