#include "session.h"

#include "logging/log.h"

#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace sanayicin::console {

Session::Session(AdminClient *client, TokenStore *store, QObject *parent)
    : QObject(parent), m_client(client), m_store(store)
{
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &Session::probe);
    connect(m_client, &AdminClient::answered, this, &Session::onAnswer);
}

void Session::setState(State s)
{
    if (s == m_state)
        return;
    m_state = s;
    Q_EMIT stateChanged(s);
}

QString Session::statusText() const
{
    const QString server = m_client->server().toDisplayString();
    switch (m_state) {
    case LoggedOut:
        return tr("Not connected.");
    case LoggingIn:
        return tr("Connecting to %1...").arg(server);
    case Online:
        return tr("Connected to %1 as %2.").arg(server, m_username);
    case Reconnecting:
        return tr("Connection to %1 lost; reconnecting (attempt %2)...").arg(server).arg(m_attempt);
    }
    return {};
}

void Session::login(const QUrl &server, const QString &username, const QString &password, bool remember)
{
    m_retry.stop();
    m_client->setServer(server);
    m_client->setToken({});
    setState(LoggingIn);
    m_client->post(u"/auth/login"_s, {{u"username"_s, username}, {u"password"_s, password}}, this,
                   [this, remember](const ApiResult &r) {
                       if (!r.ok()) {
                           setState(LoggedOut);
                           Q_EMIT loginFinished(false, r.error, {});
                           return;
                       }
                       const QJsonObject user = r.body.value(u"user"_s).toObject();
                       const QString token = r.body.value(u"token"_s).toString();
                       if (user.value(u"role"_s).toString() != u"admin"_s) {
                           // Leave no token of an account the console cannot use.
                           m_client->setToken(token);
                           m_client->post(u"/auth/logout"_s, {}, this, [](const ApiResult &) {});
                           m_client->setToken({});
                           setState(LoggedOut);
                           ApiError e;
                           e.kind = ApiError::NotAdmin;
                           Q_EMIT loginFinished(false, e, {});
                           return;
                       }
                       m_username = user.value(u"username"_s).toString();
                       m_userId = user.value(u"id"_s).toInteger();
                       verifyAdmin(remember, token);
                   });
}

// An admin endpoint answers: the token works and the role is right.
void Session::verifyAdmin(bool remember, const QString &token)
{
    m_client->setToken(token);
    m_client->get(u"/admin/instances"_s, {}, this, [this, remember, token](const ApiResult &r) {
        if (!r.ok()) {
            m_client->setToken({});
            setState(LoggedOut);
            Q_EMIT loginFinished(false, r.error, {});
            return;
        }
        m_attempt = 0;
        setState(Online);
        qCInfo(lcApp) << "console: logged in to" << m_client->server().toDisplayString();
        if (!remember) {
            Q_EMIT loginFinished(true, {}, TokenStore::describe(TokenStore::Nowhere, {}));
            return;
        }
        const QString server = m_client->server().toString();
        m_store->save(server, m_username, token, [this, server](TokenStore::Place place, const QString &error) {
            QString where = TokenStore::describe(place, m_store->filePath(server));
            if (place == TokenStore::Nowhere)
                where = tr("The token could not be saved (%1); it is kept in memory only.").arg(error);
            Q_EMIT loginFinished(true, {}, where);
        });
    });
}

void Session::resume(const QUrl &server)
{
    m_client->setServer(server);
    setState(LoggingIn);
    m_store->load(server.toString(), [this](const QString &username, const QString &token) {
        if (token.isEmpty()) {
            setState(LoggedOut);
            ApiError e;
            e.kind = ApiError::Unauthorized;
            Q_EMIT loginFinished(false, e, {});
            return;
        }
        m_username = username;
        verifyAdmin(false, token);
    });
}

void Session::logout()
{
    m_retry.stop();
    if (!m_client->token().isEmpty())
        m_client->post(u"/auth/logout"_s, {}, this, [](const ApiResult &) {});
    m_store->forget(m_client->server().toString());
    m_client->setToken({});
    setState(LoggedOut);
}

// Watches every answer: a lost server starts the reconnection, an ended
// token ends the session.
void Session::onAnswer(const ApiResult &r)
{
    if (m_state == Online && r.error.kind == ApiError::ServerDown) {
        m_lastError = r.error;
        m_attempt = 0;
        setState(Reconnecting);
        qCWarning(lcApp) << "console: server lost, reconnecting";
        scheduleProbe();
    } else if ((m_state == Online || m_state == Reconnecting) && r.error.kind == ApiError::Unauthorized) {
        m_retry.stop();
        m_client->setToken({});
        setState(LoggedOut);
        Q_EMIT sessionEnded(r.error.describe());
    }
}

void Session::scheduleProbe()
{
    ++m_attempt;
    const int base = qMin(m_backoffMaxMs, 1000 << qMin(m_attempt - 1, 5));
    const int jitter = int(QRandomGenerator::global()->bounded(base / 5 + 1));
    m_retry.start(base + jitter);
    Q_EMIT stateChanged(m_state); // the attempt count changed
}

void Session::probe()
{
    m_client->get(u"/admin/instances"_s, {}, this, [this](const ApiResult &r) {
        if (m_state != Reconnecting)
            return;
        if (r.ok()) {
            m_attempt = 0;
            qCInfo(lcApp) << "console: reconnected";
            setState(Online);
        } else if (r.error.kind != ApiError::Unauthorized) {
            scheduleProbe();
        }
    });
}

} // namespace sanayicin::console
