#include "daemon_process.h"

#include "test_env.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QRegularExpression>
#include <QThread>
#include <csignal>

namespace sanayicin::test {

QStringList DaemonProcess::defaultArgs()
{
    QStringList args{QStringLiteral("--argon2-memory-kib"), QStringLiteral("64"),
                     QStringLiteral("--argon2-iterations"), QStringLiteral("1"),
                     QStringLiteral("--threads"), QStringLiteral("2"),
                     QStringLiteral("--sync-grace-ms"), QStringLiteral("300"),
                     // Suites register and log in hundreds of users from
                     // loopback: these budgets out of the way (the suites
                     // that test them set their own after these).
                     QStringLiteral("--register-rate"), QStringLiteral("1000"),
                     QStringLiteral("--register-burst"), QStringLiteral("100000"),
                     QStringLiteral("--login-address-rate"), QStringLiteral("1000"),
                     QStringLiteral("--login-address-burst"), QStringLiteral("100000"),
                     QStringLiteral("--conversation-rate"), QStringLiteral("1000"),
                     QStringLiteral("--conversation-burst"), QStringLiteral("100000")};
    // A second run of a suite can try another variant of the daemon, e.g.
    // SANAYICIN_TEST_DAEMON_ARGS="--websocket qt" (see tests/integration).
    args << qEnvironmentVariable("SANAYICIN_TEST_DAEMON_ARGS").split(QLatin1Char(' '), Qt::SkipEmptyParts);
    return args;
}

DaemonProcess::~DaemonProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

void DaemonProcess::setEnvironmentVariable(const QString &name, const QString &value)
{
    if (m_environment.isEmpty())
        m_environment = QProcessEnvironment::systemEnvironment();
    m_environment.insert(name, value);
}

bool DaemonProcess::start(const QString &databaseUrl, const QStringList &args, QString &error)
{
    const QString binary = TestEnv::daemonPath();
    if (binary.isEmpty()) {
        error = QStringLiteral("SANAYICIN_DAEMON is not set");
        return false;
    }
    m_databaseUrl = databaseUrl;
    QStringList all{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                    QStringLiteral("--data-dir"), m_dir.path()};
    if (!databaseUrl.isEmpty())
        all << QStringLiteral("--database") << databaseUrl;
    all << args;
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    if (!m_environment.isEmpty())
        m_process.setProcessEnvironment(m_environment);
    if (!m_outputFile.isEmpty())
        m_process.setStandardOutputFile(m_outputFile);
    m_process.start(binary, all);
    if (!m_process.waitForStarted(10000)) {
        error = m_process.errorString();
        return false;
    }
    static const QRegularExpression serving(QStringLiteral("serving on http://[^:]+:(\\d+)/"));
    QByteArray seen;
    QDeadlineTimer deadline(30000);
    while (!deadline.hasExpired()) {
        if (m_process.state() == QProcess::NotRunning)
            break;
        if (m_logSource) {
            QThread::msleep(50);
            seen = m_logSource();
        } else if (m_outputFile.isEmpty()) {
            m_process.waitForReadyRead(100);
            // Peek without consuming, so that log() still sees everything.
            seen = m_process.peek(1 << 20);
        } else {
            QThread::msleep(50); // a file never signals readyRead
            seen = log();
        }
        const auto match = serving.match(QString::fromUtf8(seen));
        if (match.hasMatch()) {
            m_port = quint16(match.captured(1).toUInt());
            return true;
        }
    }
    error = QStringLiteral("the daemon did not start:\n") + QString::fromUtf8(log());
    return false;
}

QUrl DaemonProcess::httpUrl(const QString &path) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path));
}

QUrl DaemonProcess::wsUrl() const
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1/ws").arg(m_port));
}

int DaemonProcess::terminate(int timeoutMs)
{
    if (m_process.state() == QProcess::NotRunning)
        return m_process.exitCode();
    ::kill(pid_t(m_process.processId()), SIGTERM);
    bool finished = m_process.waitForFinished(timeoutMs);
    // A sanitizer report being written (symbolizing takes seconds on a
    // loaded machine): wait for its stack, or the report ends at its header.
    if (!finished && log().contains("Sanitizer"))
        finished = m_process.waitForFinished(60000);
    const int code = !finished ? -1
                     : m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode()
                                                                       : -1;
    // A failed drain or a sanitizer's report at exit shows only here.
    if (code != 0)
        qWarning("daemon exit code %d; the end of its output:\n%s", code,
                 log().right(8000).constData());
    return code;
}

void DaemonProcess::sendSigterm()
{
    if (m_process.state() != QProcess::NotRunning)
        ::kill(pid_t(m_process.processId()), SIGTERM);
}

int DaemonProcess::exitCode() const
{
    if (m_process.state() != QProcess::NotRunning)
        return -1;
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

bool DaemonProcess::createUser(const QString &databaseUrl, const QString &username,
                               const QString &password, bool admin, QString &error)
{
    QTemporaryDir dir;
    const QString passwordFile = dir.filePath(QStringLiteral("password"));
    {
        QFile f(passwordFile);
        if (!f.open(QIODevice::WriteOnly)) {
            error = f.errorString();
            return false;
        }
        f.write(password.toUtf8() + '\n');
    }
    QStringList args{QStringLiteral("user"),         QStringLiteral("create"),
                     QStringLiteral("--database"),   databaseUrl,
                     QStringLiteral("--data-dir"),   dir.path(),
                     QStringLiteral("--username"),   username,
                     QStringLiteral("--password-file"), passwordFile};
    if (admin)
        args << QStringLiteral("--admin");
    args << defaultArgs();
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(TestEnv::daemonPath(), args);
    if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        error = QStringLiteral("user create failed: ") + QString::fromUtf8(p.readAll());
        return false;
    }
    return true;
}

void DaemonProcess::kill()
{
    m_process.kill();
    m_process.waitForFinished(5000);
}

QByteArray DaemonProcess::log() const
{
    if (!m_outputFile.isEmpty()) {
        QFile f(m_outputFile);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    // Peek without consuming, so that a later call still sees everything.
    return const_cast<QProcess &>(m_process).peek(64 << 20);
}

} // namespace sanayicin::test
