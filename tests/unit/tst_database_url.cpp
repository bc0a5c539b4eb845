// DatabaseUrl::parse and redacted().

#include "storage/database_url.h"

#include <QUrl>
#include <QtTest>

using namespace sanayicin;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(sanayicin::Dialect)

class tst_DatabaseUrl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void postgres_data();
    void postgres();
    void sqlite_data();
    void sqlite();
    void refused_data();
    void refused();
    void redactedNeverHasThePassword_data();
    void redactedNeverHasThePassword();
    void dialectNames();
};

void tst_DatabaseUrl::postgres_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("database");
    QTest::addColumn<QString>("options");

    QTest::newRow("full") << u"postgresql://u:p@h:5433/db?sslmode=disable"_s << u"h"_s << 5433
                          << u"u"_s << u"p"_s << u"db"_s << u"sslmode=disable"_s;
    QTest::newRow("postgres alias") << u"postgres://u:p@h:5433/db"_s << u"h"_s << 5433 << u"u"_s
                                    << u"p"_s << u"db"_s << QString();
    QTest::newRow("default port") << u"postgresql://u@db.example.com/sanayicin"_s
                                  << u"db.example.com"_s << 5432 << u"u"_s << QString()
                                  << u"sanayicin"_s << QString();
    QTest::newRow("no user") << u"postgresql://127.0.0.1:6432/app"_s << u"127.0.0.1"_s << 6432
                             << QString() << QString() << u"app"_s << QString();
    QTest::newRow("encoded password") << u"postgresql://u:p%40ss%2Fw%3Ard@h/db"_s << u"h"_s
                                      << 5432 << u"u"_s << u"p@ss/w:rd"_s << u"db"_s << QString();
    QTest::newRow("two options") << u"postgresql://u:p@h/db?sslmode=require&application_name=x"_s
                                 << u"h"_s << 5432 << u"u"_s << u"p"_s << u"db"_s
                                 << u"sslmode=require;application_name=x"_s;
    QTest::newRow("socket folder") << u"postgresql://u@localhost/db?host=/var/run/postgresql"_s
                                   << u"/var/run/postgresql"_s << 5432 << u"u"_s << QString()
                                   << u"db"_s << QString();
}

void tst_DatabaseUrl::postgres()
{
    QFETCH(QString, url);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(QString, database);
    QFETCH(QString, options);
    QString error;
    const auto u = DatabaseUrl::parse(url, u"/data"_s, error);
    QVERIFY2(u, qPrintable(error));
    QCOMPARE(u->dialect, Dialect::Postgres);
    QCOMPARE(u->host, host);
    QCOMPARE(u->port, port);
    QCOMPARE(u->user, user);
    QCOMPARE(u->password, password);
    QCOMPARE(u->database, database);
    QCOMPARE(u->options, options);
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
    QTest::addColumn<QString>("url");
    QTest::newRow("mysql") << u"mysql://u:p@h/db"_s;
    QTest::newRow("http") << u"http://h/db"_s;
    QTest::newRow("no scheme") << u"h:5432/db"_s;
    QTest::newRow("garbage") << u"not a url"_s;
    QTest::newRow("postgresql without database") << u"postgresql://u:p@h:5432"_s;
    QTest::newRow("postgresql with only slash") << u"postgresql://u:p@h:5432/"_s;
    QTest::newRow("sqlite without path") << u"sqlite:"_s;
    QTest::newRow("sqlite with only slashes") << u"sqlite://"_s;
    QTest::newRow("bad port") << u"postgresql://u:p@h:99999/db"_s;
}

void tst_DatabaseUrl::refused()
{
    QFETCH(QString, url);
    QString error;
    QVERIFY(!DatabaseUrl::parse(url, u"/data"_s, error));
    QVERIFY(!error.isEmpty());
    QVERIFY2(!error.contains(u":p@"_s), qPrintable(error)); // never echoes a password
}

void tst_DatabaseUrl::redactedNeverHasThePassword_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << u"postgresql://alice:s3cr3t-pass@db:5433/chat?sslmode=disable"_s
                           << u"s3cr3t-pass"_s << u"postgresql://alice@db:5433/chat"_s;
    QTest::newRow("encoded") << u"postgres://bob:p%40ss@db/chat"_s << u"p@ss"_s
                             << u"postgresql://bob@db:5432/chat"_s;
}

void tst_DatabaseUrl::redactedNeverHasThePassword()
{
    QFETCH(QString, url);
    QFETCH(QString, password);
    QFETCH(QString, expected);
    QString error;
    const auto u = DatabaseUrl::parse(url, u"/data"_s, error);
    QVERIFY2(u, qPrintable(error));
    QCOMPARE(u->password, password);
    QCOMPARE(u->redacted(), expected);
    QVERIFY(!u->redacted().contains(password));
    QVERIFY(!u->redacted().contains(QString::fromLatin1(QUrl::toPercentEncoding(password))));
}

void tst_DatabaseUrl::dialectNames()
{
    QCOMPARE(QByteArray(dialectName(Dialect::Postgres)), QByteArray("postgresql"));
    QCOMPARE(QByteArray(dialectName(Dialect::Sqlite)), QByteArray("sqlite"));
}

QTEST_APPLESS_MAIN(tst_DatabaseUrl)
#include "tst_database_url.moc"
