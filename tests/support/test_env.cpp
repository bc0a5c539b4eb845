#include "test_env.h"

#include <QAtomicInt>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>

namespace sanayicin::test {

namespace {

QHash<QString, QString> loadEnvFile()
{
    QHash<QString, QString> out;
    const QString state = qEnvironmentVariable("SANAYICIN_TEST_STATE");
    QFile f(QDir(state).filePath(QStringLiteral("env")));
    if (state.isEmpty() || !f.open(QIODevice::ReadOnly))
        return out;
    while (!f.atEnd()) {
        const QString line = QString::fromUtf8(f.readLine()).trimmed();
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (eq > 0)
            out.insert(line.left(eq), line.mid(eq + 1));
    }
    return out;
}

} // namespace

QString TestEnv::value(const char *key)
{
    const QString fromEnv = qEnvironmentVariable(key);
    if (!fromEnv.isEmpty())
        return fromEnv;
    static const QHash<QString, QString> file = loadEnvFile();
    return file.value(QLatin1StringView(key));
}

QString TestEnv::pgUrl() { return value("SANAYICIN_TEST_PG_URL"); }
QString TestEnv::pgAdminUrl() { return value("SANAYICIN_TEST_PG_ADMIN"); }
QString TestEnv::redisUrl() { return value("SANAYICIN_TEST_REDIS_URL"); }
QString TestEnv::daemonPath() { return value("SANAYICIN_DAEMON"); }

QString freshDatabaseUrl(const QString &dialect, const QString &folder)
{
    static QAtomicInt counter;
    const int n = counter.fetchAndAddRelaxed(1);
    if (dialect == u"sqlite")
        return QStringLiteral("sqlite://") + QDir(folder).filePath(QStringLiteral("db%1.sqlite").arg(n));

    const QUrl admin(TestEnv::pgAdminUrl());
    if (!admin.isValid() || admin.isEmpty())
        qFatal("no PostgreSQL: run the tests through ctest (tests/services/services.sh)");
    const QString name = QStringLiteral("t_%1_%2").arg(QCoreApplication::applicationPid()).arg(n);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), QStringLiteral("test-admin"));
        db.setHostName(admin.host());
        db.setPort(admin.port());
        db.setUserName(admin.userName());
        db.setPassword(admin.password());
        db.setDatabaseName(admin.path().mid(1));
        if (!db.open())
            qFatal("cannot reach the test PostgreSQL: %s", qPrintable(db.lastError().text()));
        QSqlQuery q(db);
        // The name is ours (pid and counter), never input.
        if (!q.exec(QStringLiteral("CREATE DATABASE ") + name))
            qFatal("CREATE DATABASE failed: %s", qPrintable(q.lastError().text()));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("test-admin"));
    QUrl url = admin;
    url.setPath(QLatin1Char('/') + name);
    return url.toString();
}

QSqlDatabase openPostgres(const QString &url, const QString &connectionName)
{
    const QUrl u(url);
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connectionName);
    db.setHostName(u.host());
    db.setPort(u.port());
    db.setUserName(u.userName());
    db.setPassword(u.password());
    db.setDatabaseName(u.path().mid(1));
    if (!db.open())
        qWarning("cannot open %s: %s", qPrintable(u.path()), qPrintable(db.lastError().text()));
    return db;
}

} // namespace sanayicin::test
