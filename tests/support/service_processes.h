#pragma once

#include <QProcess>
#include <QString>
#include <QTemporaryDir>

namespace sanayicin::test {

// A free TCP port on 127.0.0.1 (bound once, then released).
quint16 freeLocalPort();

// Services a test owns outright, so that it can stop, kill or restart them
// (the shared ones from tests/services/services.sh must stay up for others).

class RedisServer
{
public:
    ~RedisServer();
    bool start(QString &error);   // on a free port, no persistence
    // More redis-server arguments for the next start (e.g. --aclfile F).
    void setExtraArgs(const QStringList &args) { m_extraArgs = args; }
    QString dirPath() const { return m_dir.path(); }
    bool restart(QString &error); // stop, then start on the same port
    void stop();
    quint16 port() const { return m_port; }
    QString url() const;

private:
    bool launch(QString &error);
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
    QStringList m_extraArgs;
};

// A PostgreSQL of a test's own (initdb in a temporary folder, a free port,
// fsync off), for tests that stop and restart it: the shared one must stay up.
class PostgresServer
{
public:
    ~PostgresServer();
    bool start(QString &error); // initdb on the first call; waits until it accepts connections
    // pg_ctl stop -m <mode> ("smart", "fast" or "immediate"), waiting for the end.
    bool stop(const QString &mode, QString &error);
    // pg_ctl start without waiting: returns while it may still be starting up.
    bool startNoWait(QString &error);
    // Until the postmaster runs (its pid file is there): it may still be
    // starting up, refusing connections.
    bool waitStarted(int timeoutMs);
    bool waitReady(int timeoutMs);
    quint16 port() const { return m_port; }
    // postgresql://sanayicin:...@127.0.0.1:port/<database>; createDatabase makes one.
    QString url(const QString &database) const;
    bool createDatabase(const QString &name, QString &error);

private:
    bool pgCtl(const QStringList &args, QString &error, int timeoutMs = 60000);
    QTemporaryDir m_dir;
    quint16 m_port = 0;
    bool m_initialised = false;
};

// pgBouncer in transaction pooling in front of the test PostgreSQL.
class PgBouncer
{
public:
    ~PgBouncer();
    bool start(const QString &postgresUrl, QString &error);
    void stop();
    // The same database as `postgresUrl`, through the pooler.
    QString urlFor(const QString &postgresUrl) const;
    quint16 port() const { return m_port; }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
};

// nginx in front of some instances: the loopback variant of the production
// site (deploy/nginx/sanayicin-test.conf.in, rendered by
// deploy/scripts/render-nginx-test.sh).
class NginxProxy
{
public:
    ~NginxProxy();
    bool start(const QList<quint16> &instancePorts, QString &error);
    void stop();
    quint16 port() const { return m_port; }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
};

} // namespace sanayicin::test
