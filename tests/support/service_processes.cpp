#include "service_processes.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QUrl>
#include <algorithm>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sanayicin::test {

namespace {

bool waitForPort(quint16 port, QProcess &process, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (process.state() == QProcess::NotRunning)
            return false;
        QTcpSocket s;
        s.connectToHost(QStringLiteral("127.0.0.1"), port);
        if (s.waitForConnected(200))
            return true;
        QThread::msleep(50);
    }
    return false;
}

bool writeFile(const QString &path, const QByteArray &content)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(content) == content.size();
}

void stopProcess(QProcess &p)
{
    if (p.state() == QProcess::NotRunning)
        return;
    p.terminate();
    if (!p.waitForFinished(5000)) {
        p.kill();
        p.waitForFinished(5000);
    }
}

} // namespace

quint16 freeLocalPort()
{
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort();
}

// ---- Redis ------------------------------------------------------------------

RedisServer::~RedisServer()
{
    stop();
}

bool RedisServer::start(QString &error)
{
    m_port = freeLocalPort();
    return launch(error);
}

bool RedisServer::launch(QString &error)
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    const QStringList args{QStringLiteral("--port"), QString::number(m_port), QStringLiteral("--bind"),
                           QStringLiteral("127.0.0.1"), QStringLiteral("--save"), QString(),
                           QStringLiteral("--appendonly"), QStringLiteral("no"), QStringLiteral("--dir"),
                           m_dir.path()};
    m_process.start(QStringLiteral("redis-server"), args + m_extraArgs);
    if (!waitForPort(m_port, m_process, 10000)) {
        error = QStringLiteral("redis-server did not start: ") + QString::fromUtf8(m_process.readAll());
        return false;
    }
    return true;
}

bool RedisServer::restart(QString &error)
{
    stop();
    return launch(error);
}

void RedisServer::stop()
{
    stopProcess(m_process);
}

QString RedisServer::url() const
{
    return QStringLiteral("redis://127.0.0.1:%1/0").arg(m_port);
}

// ---- PostgreSQL --------------------------------------------------------------

namespace {

QString postgresBin(const QString &tool)
{
    QDir lib(QStringLiteral("/usr/lib/postgresql"));
    QStringList versions = lib.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(versions.begin(), versions.end(),
              [](const QString &a, const QString &b) { return a.toInt() < b.toInt(); });
    return versions.isEmpty() ? tool : lib.filePath(versions.last() + QStringLiteral("/bin/") + tool);
}

// PostgreSQL refuses to run as root: as root, its tools run as "postgres".
bool runPostgresTool(const QString &tool, const QStringList &args, QString &output, int timeoutMs)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    if (::geteuid() == 0)
        p.start(QStringLiteral("runuser"),
                QStringList{QStringLiteral("-u"), QStringLiteral("postgres"), QStringLiteral("--"),
                            postgresBin(tool)} + args);
    else
        p.start(postgresBin(tool), args);
    const bool finished = p.waitForFinished(timeoutMs);
    output = QString::fromUtf8(p.readAll());
    if (!finished) {
        p.kill();
        p.waitForFinished(5000);
        return false;
    }
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

} // namespace

PostgresServer::~PostgresServer()
{
    QString ignored;
    if (m_initialised)
        stop(QStringLiteral("immediate"), ignored);
}

bool PostgresServer::pgCtl(const QStringList &args, QString &error, int timeoutMs)
{
    QString output;
    if (runPostgresTool(QStringLiteral("pg_ctl"),
                        QStringList{QStringLiteral("-D"), m_dir.filePath(QStringLiteral("data"))} + args,
                        output, timeoutMs))
        return true;
    QFile log(m_dir.filePath(QStringLiteral("server.log")));
    log.open(QIODevice::ReadOnly);
    error = QStringLiteral("pg_ctl %1 failed: %2\n%3")
                .arg(args.join(QLatin1Char(' ')), output, QString::fromUtf8(log.readAll().right(3000)));
    return false;
}

bool PostgresServer::start(QString &error)
{
    if (!m_initialised) {
        const QString dir = m_dir.path();
        if (::geteuid() == 0) {
            const passwd *pg = ::getpwnam("postgres");
            if (!pg || ::chown(QFile::encodeName(dir).constData(), pg->pw_uid, pg->pw_gid) != 0) {
                error = QStringLiteral("cannot hand %1 to the postgres user").arg(dir);
                return false;
            }
        }
        QString output;
        if (!runPostgresTool(QStringLiteral("initdb"),
                             {QStringLiteral("-D"), dir + QStringLiteral("/data"), QStringLiteral("-U"),
                              QStringLiteral("postgres"), QStringLiteral("-A"), QStringLiteral("trust"),
                              QStringLiteral("-E"), QStringLiteral("UTF8"), QStringLiteral("--locale=C.UTF-8"),
                              QStringLiteral("--no-sync")},
                             output, 120000)) {
            error = QStringLiteral("initdb failed: ") + output;
            return false;
        }
        m_port = freeLocalPort();
        m_initialised = true;
    }
    if (!startNoWait(error))
        return false;
    if (!waitReady(60000)) {
        error = QStringLiteral("PostgreSQL did not start");
        return false;
    }
    const QString createRole = QStringLiteral(
        "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sanayicin') THEN "
        "CREATE ROLE sanayicin LOGIN CREATEDB PASSWORD 'sanayicin-test'; END IF; END$$");
    QString output;
    if (!runPostgresTool(QStringLiteral("psql"),
                         {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                          QString::number(m_port), QStringLiteral("-U"), QStringLiteral("postgres"),
                          QStringLiteral("-d"), QStringLiteral("postgres"), QStringLiteral("-q"),
                          QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-c"),
                          createRole},
                         output, 30000)) {
        error = QStringLiteral("creating the role failed: ") + output;
        return false;
    }
    return true;
}

bool PostgresServer::startNoWait(QString &error)
{
    const QString options =
        QStringLiteral("-p %1 -c listen_addresses=127.0.0.1 -c unix_socket_directories=%2 "
                       "-c fsync=off -c max_connections=100")
            .arg(m_port)
            .arg(m_dir.path());
    return pgCtl({QStringLiteral("-l"), m_dir.filePath(QStringLiteral("server.log")), QStringLiteral("-W"),
                  QStringLiteral("-o"), options, QStringLiteral("start")},
                 error);
}

bool PostgresServer::stop(const QString &mode, QString &error)
{
    return pgCtl({QStringLiteral("-m"), mode, QStringLiteral("-w"), QStringLiteral("-t"),
                  QStringLiteral("60"), QStringLiteral("stop")},
                 error);
}

bool PostgresServer::waitStarted(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    const QString pidFile = m_dir.filePath(QStringLiteral("data/postmaster.pid"));
    while (!deadline.hasExpired()) {
        QFile f(pidFile);
        // The first line (the pid) is written first; the port line comes later.
        if (f.open(QIODevice::ReadOnly) && f.readAll().count('\n') >= 4)
            return true;
        QThread::msleep(5);
    }
    return false;
}

bool PostgresServer::waitReady(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        QString output;
        if (runPostgresTool(QStringLiteral("pg_isready"),
                            {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                             QString::number(m_port), QStringLiteral("-t"), QStringLiteral("1")},
                            output, 5000))
            return true;
        QThread::msleep(50);
    }
    return false;
}

QString PostgresServer::url(const QString &database) const
{
    return QStringLiteral("postgresql://sanayicin:sanayicin-test@127.0.0.1:%1/%2").arg(m_port).arg(database);
}

bool PostgresServer::createDatabase(const QString &name, QString &error)
{
    QString output;
    if (runPostgresTool(QStringLiteral("createdb"),
                        {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                         QString::number(m_port), QStringLiteral("-U"), QStringLiteral("postgres"),
                         QStringLiteral("-O"), QStringLiteral("sanayicin"), name},
                        output, 30000))
        return true;
    error = QStringLiteral("createdb failed: ") + output;
    return false;
}

// ---- pgBouncer -------------------------------------------------------------

PgBouncer::~PgBouncer()
{
    stop();
}

bool PgBouncer::start(const QString &postgresUrl, QString &error)
{
    const QUrl pg(postgresUrl);
    m_port = freeLocalPort();
    const QString dir = m_dir.path();
    // pgBouncer refuses to run as root; it runs as nobody, who must read this.
    ::chmod(QFile::encodeName(dir).constData(), 0755);
    const QByteArray ini =
        "[databases]\n"
        "* = host=127.0.0.1 port=" + QByteArray::number(pg.port()) + "\n"
        "[pgbouncer]\n"
        "listen_addr = 127.0.0.1\n"
        "listen_port = " + QByteArray::number(m_port) + "\n"
        "unix_socket_dir =\n"
        "auth_type = plain\n"
        "auth_file = " + QFile::encodeName(dir) + "/userlist.txt\n"
        "pool_mode = transaction\n"
        "max_client_conn = 1000\n"
        "default_pool_size = 20\n"
        "ignore_startup_parameters = extra_float_digits,options\n"
        "logfile = " + QFile::encodeName(dir) + "/pgbouncer.log\n";
    const QByteArray users = '"' + pg.userName().toUtf8() + "\" \"" + pg.password().toUtf8() + "\"\n";
    if (!writeFile(dir + QStringLiteral("/pgbouncer.ini"), ini)
        || !writeFile(dir + QStringLiteral("/userlist.txt"), users)) {
        error = QStringLiteral("cannot write the pgBouncer configuration");
        return false;
    }
    QFile::setPermissions(dir + QStringLiteral("/pgbouncer.ini"), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther);
    QFile::setPermissions(dir + QStringLiteral("/userlist.txt"), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther);
    QStringList args;
    if (::geteuid() == 0)
        args << QStringLiteral("-u") << QStringLiteral("nobody");
    args << dir + QStringLiteral("/pgbouncer.ini");
    // The log file must be writable by nobody as well.
    writeFile(dir + QStringLiteral("/pgbouncer.log"), {});
    QFile::setPermissions(dir + QStringLiteral("/pgbouncer.log"), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther | QFileDevice::WriteOther);
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.start(QStringLiteral("pgbouncer"), args);
    if (!waitForPort(m_port, m_process, 10000)) {
        QFile log(dir + QStringLiteral("/pgbouncer.log"));
        log.open(QIODevice::ReadOnly);
        error = QStringLiteral("pgbouncer did not start: ") + QString::fromUtf8(m_process.readAll() + log.readAll());
        return false;
    }
    return true;
}

void PgBouncer::stop()
{
    stopProcess(m_process);
}

QString PgBouncer::urlFor(const QString &postgresUrl) const
{
    QUrl url(postgresUrl);
    url.setPort(m_port);
    return url.toString();
}

// ---- nginx -------------------------------------------------------------------

NginxProxy::~NginxProxy()
{
    stop();
}

bool NginxProxy::start(const QList<quint16> &instancePorts, QString &error)
{
    m_port = freeLocalPort();
    const QString dir = m_dir.path();
    ::chmod(QFile::encodeName(dir).constData(), 0755);
    // The deploy folder's own renderer turns the site into a loopback config.
    QStringList args{QStringLiteral("--dir"), dir, QStringLiteral("--port"), QString::number(m_port)};
    for (quint16 p : instancePorts)
        args << QStringLiteral("--backend") << QStringLiteral("127.0.0.1:%1").arg(p);
    QProcess render;
    render.setProcessChannelMode(QProcess::MergedChannels);
    render.start(QStringLiteral(SANAYICIN_SOURCE_DIR "/deploy/scripts/render-nginx-test.sh"), args);
    if (!render.waitForFinished(30000) || render.exitCode() != 0) {
        error = QStringLiteral("render-nginx-test.sh failed: ") + QString::fromUtf8(render.readAll());
        return false;
    }
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.start(QStringLiteral("nginx"),
                    {QStringLiteral("-p"), dir, QStringLiteral("-c"), dir + QStringLiteral("/nginx.conf"),
                     QStringLiteral("-g"), QStringLiteral("daemon off;")});
    if (!waitForPort(m_port, m_process, 10000)) {
        error = QStringLiteral("nginx did not start: ") + QString::fromUtf8(m_process.readAll());
        return false;
    }
    return true;
}

void NginxProxy::stop()
{
    stopProcess(m_process);
}

} // namespace sanayicin::test
