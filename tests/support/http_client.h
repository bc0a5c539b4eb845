#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QUrl>
#include <utility>

namespace sanayicin::test {

struct HttpResult
{
    int status = 0; // 0: no answer
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers;

    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QString errorCode() const
    {
        return json().value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString();
    }
    QByteArray header(const QByteArray &name) const;
};

// Blocking HTTP calls for tests (QNetworkAccessManager in a local loop).
class HttpClient
{
public:
    explicit HttpClient(QUrl base) : m_base(std::move(base)) {}

    HttpResult get(const QString &path, const QString &token = {});
    HttpResult post(const QString &path, const QJsonObject &body, const QString &token = {});
    HttpResult put(const QString &path, const QJsonObject &body, const QString &token = {});
    HttpResult del(const QString &path, const QString &token = {});
    // Anything: method, raw body, content type.
    HttpResult raw(const QByteArray &method, const QString &path, const QByteArray &body,
                   const QByteArray &contentType, const QString &token = {});
    // The same with extra request headers (e.g. X-Real-IP).
    HttpResult raw(const QByteArray &method, const QString &path, const QByteArray &body,
                   const QByteArray &contentType, const QString &token,
                   const QList<std::pair<QByteArray, QByteArray>> &headers);

    struct Account
    {
        QString token;
        qint64 id = 0;
    };
    // Registers a user (password "password123") and returns its token and id.
    Account registerUser(const QString &username, const QString &role = QStringLiteral("customer"),
                         const QString &displayName = {});
    // Logs in; an empty token (and a warning) when it fails.
    Account login(const QString &username, const QString &password = QStringLiteral("password123"));
    // Creates (or finds) the conversation of `a` with `peerId`; returns its id.
    qint64 conversation(const Account &a, qint64 peerId);
    // One unlabelled value of GET /metrics (0 when absent).
    double metric(const QByteArray &name);

private:
    QUrl m_base;
    QNetworkAccessManager m_nam;
};

} // namespace sanayicin::test
