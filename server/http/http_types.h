#pragma once

#include "protocol/error_code.h"

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrlQuery>
#include <utility>

namespace sanayicin {

enum class HttpMethod { Get, Post, Put, Delete, Head, Other };

// What a handler needs of a request, copied out of QHttpServerRequest so
// that it can outlive the call into QtHttpServer.
struct HttpRequest
{
    HttpMethod method = HttpMethod::Other;
    QString path;
    QUrlQuery query;
    QByteArray body;
    QByteArray contentType;
    QByteArray authorization;
    QString clientAddress; // the peer, or what a trusted proxy says it is
    QStringList params;    // captured {id} segments of the route
    qint64 startNs = 0;

    qint64 idParam(int i) const { return params.value(i).toLongLong(); }
    bool hasQuery(const char *key) const { return query.hasQueryItem(QLatin1StringView(key)); }
    QString queryValue(const char *key) const
    {
        return query.queryItemValue(QLatin1StringView(key), QUrl::FullyDecoded);
    }
};

struct HttpResponse
{
    int status = 200;
    QByteArray body;
    QByteArray contentType = "application/json";
    QList<std::pair<QByteArray, QByteArray>> headers;

    static HttpResponse json(int status, QByteArray body)
    {
        return {status, std::move(body), "application/json", {}};
    }
    static HttpResponse noContent(int status = 204) { return {status, {}, {}, {}}; }
    static HttpResponse error(const ApiError &e)
    {
        HttpResponse r{httpStatusOf(e.code), httpErrorBody(e), "application/json", {}};
        if (e.code == ErrorCode::RateLimited)
            r.headers.push_back({"Retry-After", QByteArray::number(std::max<qint64>(1, (e.retryAfterMs + 999) / 1000))});
        return r;
    }
};

} // namespace sanayicin
