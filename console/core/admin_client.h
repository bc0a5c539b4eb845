#pragma once

#include "api_error.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QUrl>
#include <QUrlQuery>
#include <functional>

class QNetworkReply;

namespace sanayicin::console {

struct ApiResult
{
    ApiError error;
    int status = 0;
    QJsonObject body; // the answer's object (empty for 204)

    bool ok() const { return !error.isError(); }
};

// The console's HTTP client for the daemon's API (docs/protocol.md,
// "Administration"): every call asynchronous, its answer given to a callback
// that is dropped when `context` is destroyed first. Links no widgets, so
// tests drive it directly.
class AdminClient : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const ApiResult &)>;

    explicit AdminClient(QObject *parent = nullptr);

    // The server's root (e.g. https://chat.example.com); paths are under
    // /api/v1 except the operations endpoints (/healthz, /readyz) and the
    // WebSockets (/ws...).
    void setServer(const QUrl &server) { m_server = server; }
    QUrl server() const { return m_server; }
    void setToken(const QString &token) { m_token = token; }
    QString token() const { return m_token; }
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    // The TLS settings of every request, and of the admin stream's socket
    // (the system's trusted certificates unless changed).
    void setSslConfiguration(const QSslConfiguration &c) { m_ssl = c; }
    QSslConfiguration sslConfiguration() const { return m_ssl; }

    void get(const QString &path, const QUrlQuery &query, QObject *context, Callback done);
    void post(const QString &path, const QJsonObject &body, QObject *context, Callback done);
    void del(const QString &path, QObject *context, Callback done);

    // Every page of a paged listing ({"items", "total"}), one request after
    // the other, until `total` rows or an empty page; the items in one array.
    void getAll(const QString &path, const QUrlQuery &query, int pageSize, QObject *context,
                std::function<void(const ApiResult &, const QJsonArray &items)> done);

    QUrl urlFor(const QString &path, const QUrlQuery &query = {}) const;
    // ws:// or wss:// for a path on the same server.
    QUrl webSocketUrl(const QString &path) const;

    // Sorts a finished reply into an ApiResult (public for the tests).
    static ApiResult interpret(QNetworkReply *reply);

Q_SIGNALS:
    // Every answer passes here: the session watches for a lost server and
    // an ended token without each caller checking.
    void answered(const sanayicin::console::ApiResult &result);

private:
    void send(const QByteArray &verb, const QString &path, const QUrlQuery &query,
              const QByteArray &body, QObject *context, Callback done);
    void fetchPage(const QString &path, QUrlQuery query, int pageSize, QJsonArray items,
                   QPointer<QObject> context,
                   std::function<void(const ApiResult &, const QJsonArray &)> done);

    QNetworkAccessManager m_network;
    QUrl m_server;
    QString m_token;
    int m_timeoutMs = 15000;
    QSslConfiguration m_ssl = QSslConfiguration::defaultConfiguration();
};

} // namespace sanayicin::console
