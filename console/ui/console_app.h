#pragma once

#include "admin_client.h"
#include "language.h"
#include "series_store.h"
#include "session.h"
#include "stream/admin_stream.h"
#include "token_store.h"
#include "view.h"

#include <QObject>
#include <memory>

namespace sanayicin::console {

class MainWindow;

// The program's objects and their order: the login (or a remembered token),
// then the main window; a session that ends brings the login back.
class ConsoleApp : public QObject
{
    Q_OBJECT
public:
    ConsoleApp();
    ~ConsoleApp() override;

    Language &language() { return m_language; }
    Session &session() { return m_session; }
    ConsoleContext context() { return {&m_client, &m_session, &m_series, &m_stream}; }
    MainWindow *window() const { return m_window.get(); }

    // Interactive: a remembered token for the last server, else the dialog.
    void startInteractive();
    // Creates (once) and shows the main window.
    MainWindow *showWindow();
    // `--capture`: logs in with the given account and saves every view;
    // emits captureFinished.
    void startCapture(const QUrl &server, const QString &username, const QString &password, const QString &dir);

Q_SIGNALS:
    void captureFinished(bool ok, const QString &error);

private:
    void askLogin(const QString &why);

    AdminClient m_client;
    TokenStore m_tokens;
    Session m_session;
    SeriesStore m_series;
    AdminStream m_stream;
    Language m_language;
    std::unique_ptr<MainWindow> m_window;
};

} // namespace sanayicin::console
