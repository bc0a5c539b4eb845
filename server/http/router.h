#pragma once

#include "http_types.h"

#include <QByteArray>
#include <QList>
#include <functional>
#include <memory>

namespace sanayicin {

struct HttpCall;
using CallPtr = std::shared_ptr<HttpCall>;

enum class Access { Public, User, Admin };

struct Route
{
    HttpMethod method;
    QByteArray pattern; // "/api/v1/conversations/{id}/messages"; also the metrics label
    Access access;
    std::function<void(const CallPtr &)> handler;
    QList<QByteArray> segments;
};

// Exact segments, {id} (a positive decimal integer) and {name} (a file name)
// placeholders.
class Router
{
public:
    void add(HttpMethod method, const char *pattern, Access access,
             std::function<void(const CallPtr &)> handler);
    // The matching route and its captured ids, or nullptr.
    const Route *match(HttpMethod method, const QString &path, QStringList &params) const;

private:
    QList<Route> m_routes;
};

} // namespace sanayicin
