#include "http_client.h"

#include <QBuffer>
#include <QEventLoop>
#include <QNetworkReply>
#include <QTimer>

namespace sanayicin::test {

QByteArray HttpResult::header(const QByteArray &name) const
{
    for (const auto &[k, v] : headers)
        if (k.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    return {};
}

HttpResult HttpClient::raw(const QByteArray &method, const QString &path, const QByteArray &body,
                           const QByteArray &contentType, const QString &token)
{
    return raw(method, path, body, contentType, token, {});
}

HttpResult HttpClient::raw(const QByteArray &method, const QString &path, const QByteArray &body,
                           const QByteArray &contentType, const QString &token,
                           const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    QUrl url = m_base;
    const qsizetype q = path.indexOf(QLatin1Char('?'));
    url.setPath(q < 0 ? path : path.left(q));
    if (q >= 0)
        url.setQuery(path.mid(q + 1));
    QNetworkRequest req(url);
    if (!contentType.isEmpty())
        req.setRawHeader("Content-Type", contentType);
    if (!token.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    for (const auto &[name, value] : headers)
        req.setRawHeader(name, value);
    auto *buffer = new QBuffer;
    buffer->setData(body);
    buffer->open(QIODevice::ReadOnly);
    QNetworkReply *reply = m_nam.sendCustomRequest(req, method, buffer);
    buffer->setParent(reply);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(30000, &loop, &QEventLoop::quit);
    loop.exec();
    HttpResult r;
    if (reply->isFinished()) {
        r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        r.body = reply->readAll();
        r.headers = reply->rawHeaderPairs();
    }
    reply->deleteLater();
    return r;
}

HttpResult HttpClient::get(const QString &path, const QString &token)
{
    return raw("GET", path, {}, {}, token);
}

HttpResult HttpClient::post(const QString &path, const QJsonObject &body, const QString &token)
{
    return raw("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact), "application/json",
               token);
}

HttpResult HttpClient::put(const QString &path, const QJsonObject &body, const QString &token)
{
    return raw("PUT", path, QJsonDocument(body).toJson(QJsonDocument::Compact), "application/json",
               token);
}

HttpResult HttpClient::del(const QString &path, const QString &token)
{
    return raw("DELETE", path, {}, {}, token);
}

HttpClient::Account HttpClient::registerUser(const QString &username, const QString &role,
                                             const QString &displayName)
{
    const HttpResult r = post(QStringLiteral("/api/v1/auth/register"),
                              {{QStringLiteral("username"), username},
                               {QStringLiteral("password"), QStringLiteral("password123")},
                               {QStringLiteral("display_name"),
                                displayName.isEmpty() ? username : displayName},
                               {QStringLiteral("role"), role}});
    if (r.status != 201)
        qWarning("register %s: %d %s", qPrintable(username), r.status, r.body.constData());
    const QJsonObject o = r.json();
    return {o.value(QStringLiteral("token")).toString(),
            o.value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toInteger()};
}

HttpClient::Account HttpClient::login(const QString &username, const QString &password)
{
    const HttpResult r = post(QStringLiteral("/api/v1/auth/login"),
                              {{QStringLiteral("username"), username},
                               {QStringLiteral("password"), password}});
    if (r.status != 200)
        qWarning("login %s: %d %s", qPrintable(username), r.status, r.body.constData());
    const QJsonObject o = r.json();
    return {o.value(QStringLiteral("token")).toString(),
            o.value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toInteger()};
}

qint64 HttpClient::conversation(const Account &a, qint64 peerId)
{
    const HttpResult r =
        post(QStringLiteral("/api/v1/conversations"), {{QStringLiteral("peer_id"), peerId}}, a.token);
    if (r.status != 201 && r.status != 200)
        qWarning("conversation: %d %s", r.status, r.body.constData());
    return r.json().value(QStringLiteral("id")).toInteger();
}

double HttpClient::metric(const QByteArray &name)
{
    const QByteArray body = get(QStringLiteral("/metrics")).body;
    for (const QByteArray &line : body.split('\n'))
        if (line.startsWith(name + ' '))
            return line.mid(name.size() + 1).toDouble();
    return 0;
}

} // namespace sanayicin::test
