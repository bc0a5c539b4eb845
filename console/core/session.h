#pragma once

#include "admin_client.h"
#include "token_store.h"

#include <QObject>
#include <QTimer>

namespace sanayicin::console {

// The administrator's session with one server: the login, the token (in
// memory, or remembered), and the reconnection with backoff when the server
// goes away, said in words for the status bar.
class Session : public QObject
{
    Q_OBJECT
public:
    enum State { LoggedOut, LoggingIn, Online, Reconnecting };
    Q_ENUM(State)

    Session(AdminClient *client, TokenStore *store, QObject *parent = nullptr);

    void login(const QUrl &server, const QString &username, const QString &password, bool remember);
    // Logs in with a remembered token, if there is one for `server`; emits
    // loginFinished either way.
    void resume(const QUrl &server);
    void logout();

    State state() const { return m_state; }
    QString username() const { return m_username; }
    qint64 userId() const { return m_userId; }
    AdminClient *client() const { return m_client; }
    QString statusText() const;
    int reconnectAttempt() const { return m_attempt; }

    // Backoff between attempts: 1 s doubling to at most `maxMs` (tests
    // shorten it), with a little jitter so that consoles do not align.
    void setBackoffLimitMs(int maxMs) { m_backoffMaxMs = maxMs; }

Q_SIGNALS:
    void loginFinished(bool ok, const sanayicin::console::ApiError &error, const QString &tokenPlace);
    void stateChanged(sanayicin::console::Session::State state);
    // The token stopped working (revoked, expired, the account banned).
    void sessionEnded(const QString &why);

private:
    void setState(State s);
    void onAnswer(const ApiResult &r);
    void verifyAdmin(bool remember, const QString &token);
    void probe();
    void scheduleProbe();

    AdminClient *m_client;
    TokenStore *m_store;
    State m_state = LoggedOut;
    QString m_username;
    qint64 m_userId = 0;
    QTimer m_retry;
    int m_attempt = 0;
    int m_backoffMaxMs = 30000;
    ApiError m_lastError;
};

} // namespace sanayicin::console
