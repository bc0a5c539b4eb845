#include "admin_client.h"

#include <QJsonDocument>
#include <QNetworkReply>
#include <QNetworkRequest>

using namespace Qt::StringLiterals;

namespace sanayicin::console {

namespace {

// The listings refuse an offset past this (docs/protocol.md): more rows
// than that is not a table a person reads; the filters are there for that.
constexpr qsizetype kMaxOffset = 10000;

ApiError::Kind kindForStatus(int status)
{
    switch (status) {
    case 401:
        return ApiError::Unauthorized;
    case 403:
        return ApiError::Forbidden;
    case 404:
        return ApiError::NotFound;
    case 429:
        return ApiError::RateLimited;
    case 502:
    case 504:
        return ApiError::ServerDown; // nginx found no instance
    case 503:
        return ApiError::Unavailable;
    default:
        return status >= 500 ? ApiError::ServerError : ApiError::BadRequest;
    }
}

bool isTlsError(QNetworkReply::NetworkError e)
{
    return e == QNetworkReply::SslHandshakeFailedError || e == QNetworkReply::InsecureRedirectError;
}

} // namespace

AdminClient::AdminClient(QObject *parent) : QObject(parent)
{
    m_network.setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
}

QUrl AdminClient::urlFor(const QString &path, const QUrlQuery &query) const
{
    QUrl url = m_server;
    QString base = url.path();
    while (base.endsWith(u'/'))
        base.chop(1);
    const bool api = !path.startsWith(u"/healthz"_s) && !path.startsWith(u"/readyz"_s) && !path.startsWith(u"/ws"_s);
    url.setPath(base + (api ? u"/api/v1"_s : QString()) + path);
    url.setQuery(query);
    return url;
}

QUrl AdminClient::webSocketUrl(const QString &path) const
{
    QUrl url = urlFor(path);
    url.setScheme(url.scheme() == u"https"_s ? u"wss"_s : u"ws"_s);
    return url;
}

void AdminClient::get(const QString &path, const QUrlQuery &query, QObject *context, Callback done)
{
    send("GET", path, query, {}, context, std::move(done));
}

void AdminClient::post(const QString &path, const QJsonObject &body, QObject *context, Callback done)
{
    send("POST", path, {}, QJsonDocument(body).toJson(QJsonDocument::Compact), context, std::move(done));
}

void AdminClient::del(const QString &path, QObject *context, Callback done)
{
    send("DELETE", path, {}, {}, context, std::move(done));
}

void AdminClient::send(const QByteArray &verb, const QString &path, const QUrlQuery &query,
                       const QByteArray &body, QObject *context, Callback done)
{
    QNetworkRequest request(urlFor(path, query));
    request.setTransferTimeout(m_timeoutMs);
    if (request.url().scheme() == u"https"_s)
        request.setSslConfiguration(m_ssl);
    request.setRawHeader("Accept", "application/json");
    if (!m_token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_token.toLatin1());
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = m_network.sendCustomRequest(request, verb, body);
    QPointer<QObject> guard(context);
    connect(reply, &QNetworkReply::finished, this, [this, reply, guard, done = std::move(done)] {
        reply->deleteLater();
        const ApiResult result = interpret(reply);
        Q_EMIT answered(result);
        if (guard)
            done(result);
    });
}

ApiResult AdminClient::interpret(QNetworkReply *reply)
{
    ApiResult r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray data = reply->readAll();
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(data, &parseError);
    if (doc.isObject())
        r.body = doc.object();

    if (r.status == 0) {
        // No HTTP answer at all.
        r.error.kind = isTlsError(reply->error()) ? ApiError::Tls : ApiError::ServerDown;
        r.error.transportDetail = reply->errorString();
        return r;
    }
    if (r.status >= 200 && r.status < 300) {
        if (r.status != 204 && !data.isEmpty() && !doc.isObject()) {
            r.error.kind = ApiError::ServerError;
            r.error.transportDetail = tr("the answer is not JSON");
        }
        return r;
    }
    r.error.kind = kindForStatus(r.status);
    r.error.status = r.status;
    const QJsonObject error = r.body.value(u"error"_s).toObject();
    r.error.code = error.value(u"code"_s).toString();
    r.error.serverMessage = error.value(u"message"_s).toString().left(300);
    r.error.retryAfterSeconds = reply->rawHeader("Retry-After").toInt();
    // A 503 without the protocol's body is the proxy's, not the daemon's.
    if (r.status == 503 && r.error.code.isEmpty())
        r.error.kind = ApiError::ServerDown;
    return r;
}

void AdminClient::getAll(const QString &path, const QUrlQuery &query, int pageSize, QObject *context,
                         std::function<void(const ApiResult &, const QJsonArray &)> done)
{
    fetchPage(path, query, pageSize, {}, QPointer<QObject>(context), std::move(done));
}

void AdminClient::fetchPage(const QString &path, QUrlQuery query, int pageSize, QJsonArray items,
                            QPointer<QObject> context,
                            std::function<void(const ApiResult &, const QJsonArray &)> done)
{
    query.removeAllQueryItems(u"limit"_s);
    query.removeAllQueryItems(u"offset"_s);
    query.addQueryItem(u"limit"_s, QString::number(pageSize));
    query.addQueryItem(u"offset"_s, QString::number(items.size()));
    get(path, query, context,
        [this, path, query, pageSize, items, context, done](const ApiResult &r) mutable {
            if (!r.ok()) {
                done(r, {});
                return;
            }
            const QJsonArray page = r.body.value(u"items"_s).toArray();
            for (const QJsonValue &v : page)
                items.append(v);
            const qint64 total = r.body.value(u"total"_s).toInteger(items.size());
            if (page.isEmpty() || items.size() >= total || items.size() > kMaxOffset) {
                done(r, items);
                return;
            }
            fetchPage(path, query, pageSize, items, context, std::move(done));
        });
}

} // namespace sanayicin::console
