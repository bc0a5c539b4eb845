#pragma once

#include <QProcess>
#include <functional>
#include <QProcessEnvironment>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

namespace sanayicin::test {

// The real sanayicind, started on a random loopback port for one test.
class DaemonProcess
{
public:
    // Arguments the tests want almost always: cheap password hashing, two
    // network threads, a short sync grace.
    static QStringList defaultArgs();

    DaemonProcess() = default;
    ~DaemonProcess();

    // Before start(): one more environment variable for the daemon.
    void setEnvironmentVariable(const QString &name, const QString &value);
    // Before start(): where its log lines are read while start() waits for
    // "serving on", when they do not go to its output (the journal's socket
    // of a test: tst_systemd).
    void setLogSource(std::function<QByteArray()> source) { m_logSource = std::move(source); }
    // Before start(): stdout and stderr go to the file at `path` (created
    // first, so that a test can name its inode) instead of a pipe; log()
    // reads it.
    void setOutputFile(const QString &path) { m_outputFile = path; }

    // Starts `sanayicind --listen 127.0.0.1:0 <args>`, with the database at
    // `databaseUrl` (an SQLite file in a temporary folder when empty), and
    // waits until it serves. Returns false, with the log in `error`.
    bool start(const QString &databaseUrl, const QStringList &args, QString &error);

    quint16 port() const { return m_port; }
    QUrl httpUrl(const QString &path) const;
    QUrl wsUrl() const;
    QString dataDir() const { return m_dir.path(); }
    QString databaseUrl() const { return m_databaseUrl; } // as given to start()
    qint64 pid() const { return m_process.processId(); }

    // SIGTERM, then wait for the exit; returns the exit code (-1 on timeout).
    int terminate(int timeoutMs = 20000);
    // SIGTERM without waiting: the caller keeps its event loop running (its
    // clients see the drain) and watches isRunning().
    void sendSigterm();
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    // After the exit: the exit code, or -1 when it crashed.
    int exitCode() const;
    void kill();
    QByteArray log() const;

    // Runs `sanayicind user create` on `databaseUrl` (admin with `admin`).
    // Returns false, with the output in `error`.
    static bool createUser(const QString &databaseUrl, const QString &username,
                           const QString &password, bool admin, QString &error);

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
    QString m_databaseUrl;
    QProcessEnvironment m_environment;
    QString m_outputFile;
    std::function<QByteArray()> m_logSource;
};

} // namespace sanayicin::test
