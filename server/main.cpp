// sanayicind: the chat daemon, and its migrate and user subcommands.

#include "app/commands.h"
#include "app/config_reload.h"
#include "app/daemon.h"
#include "app/daemon_config.h"
#include "app/resources.h"
#include "app/signal_watcher.h"
#include "logging/log.h"
#include "logging/log_line.h"
#include "threading/thread_exit.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>
#include <csignal>

using namespace sanayicin;

namespace {

int run(QCoreApplication &app)
{
    QCoreApplication::setApplicationName(QStringLiteral("sanayicind"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SANAYICIN_VERSION));
    installLogFormat();
    initSanayicinResources();

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Sanayicin chat daemon.\n\nCommands:\n"
        "  (none)        serve HTTP and WebSocket\n"
        "  migrate       apply database migrations and exit\n"
        "  user create   create a user (--username, --password-file, --admin)"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("migrate | user create"));
    const QList<OptionSpec> specs = DaemonConfig::options();
    Settings::addToParser(parser, specs);
    parser.addOption({QStringLiteral("username"), QStringLiteral("user create: the username."),
                      QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("password-file"),
                      QStringLiteral("user create: a file holding the password."),
                      QStringLiteral("PATH")});
    parser.addOption({QStringLiteral("admin"), QStringLiteral("user create: make an admin.")});
    parser.process(app);

    QTextStream err(stderr);
    QString error;
    auto config = loadDaemonConfig(specs, parser, error);
    if (!config) {
        // Through the log, so that under systemd it is an error (priority 3).
        qCCritical(lcApp).noquote() << error;
        return 2;
    }
    applyLogLevel(config->logLevel);
    setLogFormat(*parseLogFormat(config->logFormat, stderrIsJournal()), config->instanceId);

    const QStringList command = parser.positionalArguments();
    if (command == QStringList{QStringLiteral("migrate")})
        return runMigrate(*config);
    if (command == QStringList{QStringLiteral("user"), QStringLiteral("create")})
        return runUserCreate(*config, parser.value(QStringLiteral("username")),
                             parser.value(QStringLiteral("password-file")),
                             parser.isSet(QStringLiteral("admin")));
    if (!command.isEmpty()) {
        err << "sanayicind: unknown command \"" << command.join(QLatin1Char(' '))
            << "\" (try --help)" << Qt::endl;
        return 2;
    }

    ::signal(SIGPIPE, SIG_IGN);
    Daemon daemon(*config);
    SignalWatcher signals({SIGTERM, SIGINT, SIGHUP});
    QObject::connect(&signals, &SignalWatcher::signalReceived, &daemon, [&](int signal) {
        if (signal != SIGHUP) {
            daemon.drain();
            return;
        }
        // Read again as at start: the same command line and environment,
        // the INI file as it is now.
        daemon.reloadWith([&](QString &why) { return loadDaemonConfig(specs, parser, why); });
    });
    if (!daemon.start(error)) {
        qCCritical(lcApp).noquote() << error;
        return 1;
    }
    return app.exec();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int code = run(app);
    // Every thread of ours has been waited for, but what is left of them
    // (their thread-locals) may still run: it ends before the statics go
    // (common/threading/thread_exit.h).
    const QStringList stillThere = waitForMarkedThreadsToExit(5000);
    if (!stillThere.isEmpty())
        qCWarning(lcApp).noquote() << "threads still running at exit:" << stillThere.join(QStringLiteral(", "));
    return code;
}
