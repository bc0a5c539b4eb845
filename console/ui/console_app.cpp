#include "console_app.h"

#include "capture.h"
#include "login_dialog.h"
#include "main_window.h"

#include <QApplication>
#include <QSettings>
#include <QStatusBar>

using namespace Qt::StringLiterals;

namespace sanayicin::console {

ConsoleApp::ConsoleApp() : m_session(&m_client, &m_tokens), m_stream(&m_client)
{
    QSettings settings;
    // The environment (read by TokenStore) or the setting may turn the
    // keyring off, e.g. where no keyring service runs.
    if (!settings.value(u"keyring"_s, true).toBool())
        m_tokens.setKeyringEnabled(false);
    connect(&m_session, &Session::sessionEnded, this, [this](const QString &why) { askLogin(why); });
}

ConsoleApp::~ConsoleApp() = default;

MainWindow *ConsoleApp::showWindow()
{
    if (!m_window) {
        m_window = std::make_unique<MainWindow>(context(), &m_language);
        connect(m_window.get(), &MainWindow::logoutRequested, this, [this] {
            m_session.logout();
            askLogin({});
        });
    }
    m_window->show();
    return m_window.get();
}

void ConsoleApp::askLogin(const QString &why)
{
    LoginDialog dialog(&m_session, m_window.get());
    if (!why.isEmpty() && m_window)
        m_window->statusBar()->showMessage(why);
    if (dialog.exec() != QDialog::Accepted) {
        if (!m_window || !m_window->isVisible())
            QApplication::quit();
        return;
    }
    MainWindow *w = showWindow();
    w->statusBar()->showMessage(dialog.tokenPlace(), 15000);
    w->refreshNow();
}

void ConsoleApp::startInteractive()
{
    const QString server = QSettings().value(u"server"_s).toString();
    if (server.isEmpty()) {
        askLogin({});
        return;
    }
    // One connection for the resume's answer only.
    auto *once = new QObject(this);
    connect(&m_session, &Session::loginFinished, once, [this, once](bool ok) {
        once->deleteLater();
        if (ok)
            showWindow()->refreshNow();
        else
            askLogin({});
    });
    m_session.resume(QUrl(server));
}

void ConsoleApp::startCapture(const QUrl &server, const QString &username, const QString &password,
                              const QString &dir)
{
    auto *once = new QObject(this);
    connect(&m_session, &Session::loginFinished, once,
            [this, once, dir](bool ok, const ApiError &error) {
                once->deleteLater();
                if (!ok) {
                    Q_EMIT captureFinished(false, error.describe(true));
                    return;
                }
                MainWindow *w = showWindow();
                w->resize(1280, 800);
                auto *capture = new Capture(w, dir, m_language.current(), this);
                connect(capture, &Capture::finished, this, &ConsoleApp::captureFinished);
                capture->start();
            });
    m_session.login(server, username, password, false);
}

} // namespace sanayicin::console
