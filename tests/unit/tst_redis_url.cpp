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
    QVERIFY2(!error.contains(u"password=x"_s), qPrintable(error));
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

QTEST_GUILESS_MAIN(tst_RedisUrl)
#include "tst_redis_url.moc"
