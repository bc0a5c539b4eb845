#include "jobs_test_support.h"

#include <QFile>
#include <csignal>

namespace sanayicin::test {

JobProcess::JobProcess(QString program, QStringList args, QString logPath)
    : m_logPath(std::move(logPath))
{
    m_process.setProgram(std::move(program));
    m_process.setArguments(std::move(args));
    m_process.setStandardOutputFile(m_logPath);
    m_process.setStandardErrorFile(m_logPath, QIODevice::Append);
}

JobProcess::~JobProcess()
{
    if (isRunning())
        kill();
}

void JobProcess::setEnvironmentVariable(const QString &name, const QString &value)
{
    QProcessEnvironment env = m_process.processEnvironment();
    if (env.isEmpty())
        env = QProcessEnvironment::systemEnvironment();
    env.insert(name, value);
    m_process.setProcessEnvironment(env);
}

bool JobProcess::start()
{
    m_process.start();
    return m_process.waitForStarted(10000);
}

void JobProcess::kill()
{
    m_process.kill();
    m_process.waitForFinished(10000);
}

int JobProcess::terminate(int timeoutMs)
{
    ::kill(pid_t(m_process.processId()), SIGTERM);
    if (!m_process.waitForFinished(timeoutMs))
        return -1;
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

QByteArray JobProcess::log() const
{
    QFile f(m_logPath);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QList<QByteArray> fileLines(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QList<QByteArray> out;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (!line.isEmpty())
            out << line;
    return out;
}

} // namespace sanayicin::test
