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
    QList<int> idCaptures; // which captured params are {id}

    // Every captured {id} is an id that can exist (1 to 2^63 - 1, written
    // without leading zeros). Checked after the access checks, so that the
    // answer to a caller who may not use the route never depends on the id.
    bool idsExist(const QStringList &params) const;
};

// Exact segments, {id} (a decimal number: any run of ASCII digits, so that
// access checks run whatever the id; see Route::idsExist), {name} (a file
// name; {queue} and {entry} take the same) and {instance} (an instance id:
// 1-256 characters) placeholders.
class Router
{
public:
    void add(HttpMethod method, const char *pattern, Access access,
             std::function<void(const CallPtr &)> handler);
    // The matching route and its captured segments, or nullptr.
    const Route *match(HttpMethod method, const QString &path, QStringList &params) const;
    // Every route, in the order added (tests compare them with the OpenAPI document).
    const QList<Route> &routes() const { return m_routes; }

private:
    QList<Route> m_routes;
};

} // namespace sanayicin
