// sanayicin-console: the moderators' and operators' desktop console.

#include "console_app.h"

#include "logging/log.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QSettings>
#include <QTextStream>

using namespace Qt::StringLiterals;
using namespace sanayicin::console;

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"Sanayicin"_s);
    QApplication::setApplicationName(u"sanayicin-console"_s);
    QApplication::setApplicationVersion(QStringLiteral(SANAYICIN_VERSION));
    sanayicin::installLogFormat();

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Sanayicin desktop console"_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption capture(u"capture"_s,
                                     u"Log in, save every view as DIR/<view>-<language>.png, exit. The account "
                                     "comes from SANAYICIN_CONSOLE_USER and SANAYICIN_CONSOLE_PASSWORD."_s,
                                     u"DIR"_s);
    const QCommandLineOption language(u"language"_s, u"tr or en (default: the setting, else the system's)."_s,
                                      u"CODE"_s);
    const QCommandLineOption server(u"server"_s, u"The server's URL (with --capture)."_s, u"URL"_s);
    parser.addOptions({capture, language, server});
    parser.process(app);

    QTextStream err(stderr);
    ConsoleApp console;
    const QString code = parser.isSet(language) ? parser.value(language)
                                                : QSettings().value(u"language"_s, Language::systemDefault()).toString();
    if (!console.language().apply(code)) {
        err << "sanayicin-console: unknown language " << code << " (tr or en)\n";
        return 2;
    }

    if (!parser.isSet(capture)) {
        console.startInteractive();
        return app.exec();
    }

    const QUrl url = QUrl::fromUserInput(parser.value(server));
    const QString user = qEnvironmentVariable("SANAYICIN_CONSOLE_USER");
    const QString password = qEnvironmentVariable("SANAYICIN_CONSOLE_PASSWORD");
    if (!parser.isSet(server) || !url.isValid() || user.isEmpty() || password.isEmpty()) {
        err << "sanayicin-console: --capture needs --server URL and SANAYICIN_CONSOLE_USER / "
               "SANAYICIN_CONSOLE_PASSWORD\n";
        return 2;
    }
    int status = 1;
    QObject::connect(&console, &ConsoleApp::captureFinished, &app, [&](bool ok, const QString &error) {
        if (!ok)
            err << "sanayicin-console: capture failed: " << error << '\n';
        err.flush();
        status = ok ? 0 : 1;
        QApplication::exit(status);
    });
    console.startCapture(url, user, password, parser.value(capture));
    app.exec();
    return status;
}
