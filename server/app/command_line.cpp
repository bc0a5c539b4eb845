#include "command_line.h"

#include "commands.h"
#include "config_reload.h"
#include "daemon.h"
#include "daemon_config.h"
#include "resources.h"
#include "signal_watcher.h"
#include "logging/log.h"
#include "logging/log_line.h"

#include <QCommandLineParser>
#include <QTextStream>
#include <csignal>

namespace sanayicin {

int runCommandLine(QCoreApplication &app, const ExtraJobHandlers &extraJobHandlers)
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
        "  user create   create a user (--username, --password-file, --admin)\n"
        "  worker        run jobs from the Redis job queues\n"
        "  scheduler     put periodic jobs on the Redis job queues (one active)"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("migrate | user create | worker | scheduler"));
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
    if (command == QStringList{QStringLiteral("worker")})
        return runWorker(*config, extraJobHandlers);
    if (command == QStringList{QStringLiteral("scheduler")})
        return runScheduler(*config);
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

} // namespace sanayicin
