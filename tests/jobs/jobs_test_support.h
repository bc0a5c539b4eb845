#pragma once

#include <QByteArray>
#include <QList>
#include <QProcess>
#include <QStringList>

#include <functional>

namespace sanayicin::test {

// A worker or scheduler process (sanayicind or the tests' worker host),
// its output in a file for when a check fails.
class JobProcess
{
public:
    JobProcess(QString program, QStringList args, QString logPath);
    ~JobProcess();

    // Before start(): one more environment variable.
    void setEnvironmentVariable(const QString &name, const QString &value);
    bool start();
    qint64 pid() const { return m_process.processId(); }
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    void kill(); // SIGKILL, then waits for the end
    // SIGTERM; the exit code, or -1 when it did not end in time or crashed.
    int terminate(int timeoutMs = 20000);
    QByteArray log() const;

private:
    QProcess m_process;
    QString m_logPath;
};

// The lines of a text file (none when it does not exist).
QList<QByteArray> fileLines(const QString &path);

} // namespace sanayicin::test
