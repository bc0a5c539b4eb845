#pragma once

#include "protocol/error_code.h"
#include "query_string.h"

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QString>
#include <QStringList>
#include <utility>

namespace sanayicin {

enum class HttpMethod { Get, Post, Put, Delete, Head, Other };

// The id a path segment names: 1 to 2^63 - 1 in decimal without leading
// zeros, else 0 (router.cpp).
qint64 pathId(QStringView segment);

// What a handler needs of a request, copied out of QHttpServerRequest so
// that it can outlive the call into QtHttpServer.
struct HttpRequest
{
    HttpMethod method = HttpMethod::Other;
    QString path;
    QueryString query; // decoded: '+' is a space
    QByteArray body;
    QByteArray contentType;
    QByteArray authorization;
    QString clientAddress; // the peer, or what a trusted proxy says it is
    bool forwarded = false; // a trusted proxy named the client (X-Real-IP, X-Forwarded-For)
    QStringList params;    // captured {id} segments of the route
    qint64 startNs = 0;
    bool operations = false; // came in on the operations listener (--ops-listen)

    qint64 idParam(int i) const { return pathId(params.value(i)); }
    bool hasQuery(const char *key) const { return query.contains(QLatin1StringView(key)); }
    QString queryValue(const char *key) const { return query.value(QLatin1StringView(key)); }
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
    static HttpResponse error(const ApiError &e) { return error(e, httpStatusOf(e.code)); }
    // With a status of its own (408, 414, 431 carry the nearest code).
    static HttpResponse error(const ApiError &e, int status)
    {
        HttpResponse r{status, httpErrorBody(e), "application/json", {}};
        if (e.code == ErrorCode::RateLimited || (e.code == ErrorCode::Unavailable && e.retryAfterMs > 0))
            r.headers.push_back({"Retry-After", QByteArray::number(std::max<qint64>(1, (e.retryAfterMs + 999) / 1000))});
        return r;
    }
};

} // namespace sanayicin
