// The web page: GET / and GET /assets/{name}, from the resources or --web-root;
// GET /ws when it is not a WebSocket upgrade; GET /openapi.json, the OpenAPI
// description of the HTTP API (resources/openapi/openapi.json).

#include "http_call.h"
#include "http_deps.h"
#include "router.h"
#include "routes.h"

#include <QDir>
#include <QFile>

namespace sanayicin {

namespace {

QByteArray contentTypeOf(const QString &name)
{
    if (name.endsWith(u".html"))
        return "text/html; charset=utf-8";
    if (name.endsWith(u".js"))
        return "text/javascript; charset=utf-8";
    if (name.endsWith(u".css"))
        return "text/css; charset=utf-8";
    if (name.endsWith(u".svg"))
        return "image/svg+xml";
    if (name.endsWith(u".png"))
        return "image/png";
    if (name.endsWith(u".ico"))
        return "image/x-icon";
    return "application/octet-stream";
}

void serveFile(const CallPtr &call, const QString &name)
{
    const QString root = call->deps.settings.webRoot;
    QFile file(root.isEmpty() ? QStringLiteral(":/web/") + name : QDir(root).filePath(name));
    if (!file.open(QIODevice::ReadOnly)) {
        call->fail(ApiError::notFound(QStringLiteral("no such file")));
        return;
    }
    HttpResponse r;
    r.contentType = contentTypeOf(name);
    r.body = file.readAll();
    call->respond(std::move(r));
}

void serveOpenApi(const CallPtr &call)
{
    // Built into the binary (never from --web-root): it describes this build.
    static const QByteArray document = [] {
        QFile file(QStringLiteral(":/openapi/openapi.json"));
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }();
    call->respond(HttpResponse::json(200, document));
}

} // namespace

void addWebRoutes(Router &r)
{
    r.add(HttpMethod::Get, "/", Access::Public,
          [](const CallPtr &call) { serveFile(call, QStringLiteral("index.html")); });
    r.add(HttpMethod::Get, "/assets/{name}", Access::Public,
          [](const CallPtr &call) { serveFile(call, call->request.params.value(0)); });
    // Upgrade requests never get here (HttpServer takes them); a plain GET
    // (e.g. "Upgrade: websocket" without "Connection: upgrade") is told why.
    for (const char *path : {"/ws", "/ws/admin"})
        r.add(HttpMethod::Get, path, Access::Public, [path](const CallPtr &call) {
            call->fail(ApiError::badRequest(
                QLatin1StringView(path)
                + QStringLiteral(" takes WebSocket upgrade requests only (Connection: Upgrade, "
                                 "Upgrade: websocket)")));
        });
    r.add(HttpMethod::Get, "/openapi.json", Access::Public, serveOpenApi);
}

} // namespace sanayicin
