// PUT /me/profile; GET /tradesmen, /tradesmen/{id}.

#include "app/services.h"
#include "cache/directory_cache.h"
#include "delivery/hub.h"
#include "storage/db_pool.h"
#include "http_call.h"
#include "json/json_writer.h"
#include "protocol/http_bodies.h"
#include "protocol/limits.h"
#include "query_params.h"
#include "router.h"
#include "routes.h"
#include "storage/directory_store.h"
#include "text/text_rules.h"
#include "time/clock.h"

#include <limits>

namespace sanayicin {

namespace {

void putProfile(const CallPtr &call)
{
    if (call->auth.user.role != Role::Tradesman) {
        call->fail(ApiError::forbidden(QStringLiteral("only tradesmen have a profile")));
        return;
    }
    const auto body = call->jsonBody();
    if (!body)
        return;
    QString error;
    const auto req = parseProfile(*body, error);
    if (!req) {
        call->fail(ApiError::badRequest(error));
        return;
    }
    const User user = call->auth.user;
    Hub &hub = call->services.hub;
    call->services.readers.run<HttpResponse>(
        call->context(),
        [user, req = *req, &hub](Db &db) {
            store::upsertProfile(db, user.id, req, nowMs());
            const Profile p{user.id,  user.displayName, req.businessName, req.category,
                            req.city, req.district,     req.description,  hub.isOnline(user.id)};
            return HttpResponse::json(200, profileJson(p));
        },
        [call](HttpResponse response) {
            // Answer once cached listings can no longer show the old profile.
            call->services.directory.invalidate(call->context(),
                                                [call, response] { call->respond(response); });
        },
        [call](const DbError &e) { call->failDb(e); });
}

void searchTradesmen(const CallPtr &call)
{
    const auto limit = queryNumber(call, "limit", protocol::kDirectoryLimitDefault,
                                   protocol::kDirectoryLimitMax);
    if (!limit)
        return;
    const auto offset =
        queryNumber(call, "offset", 0, std::numeric_limits<qint64>::max() / 2);
    if (!offset)
        return;
    const QString q = call->request.queryValue("q").trimmed();
    if (codePointCount(q) > protocol::kSearchQueryMax) {
        call->fail(ApiError::badRequest(QStringLiteral("q must have at most 100 characters")));
        return;
    }
    store::DirectoryQuery query{foldForSearch(call->request.queryValue("category").trimmed()),
                                foldForSearch(call->request.queryValue("city").trimmed()),
                                foldForSearch(q), *limit, *offset};
    const QByteArray key =
        DirectoryCache::keyFor(query.categoryKey, query.cityKey, query.text, query.limit, query.offset);
    call->services.directory.get(
        call->context(), key,
        [call, query, key](std::optional<DirectoryPageCache> cached, QByteArray version) {
            Hub &hub = call->services.hub;
            auto online = [&hub](qint64 id) { return hub.isOnline(id); };
            if (cached) {
                call->respond(HttpResponse::json(200, cached->render(online)));
                return;
            }
            DirectoryCache &cache = call->services.directory;
            call->query([query, key, version, online, &cache](Db &db) {
                const store::DirectoryPage page = store::searchDirectory(db, query);
                const DirectoryPageCache entry = DirectoryPageCache::from(page.items, page.total);
                cache.put(key, version, entry);
                return HttpResponse::json(200, entry.render(online));
            });
        });
}

void getTradesman(const CallPtr &call)
{
    const qint64 id = call->request.idParam(0);
    Hub &hub = call->services.hub;
    call->query([id, &hub](Db &db) {
        auto p = store::profileOf(db, id);
        if (!p)
            return HttpResponse::error(ApiError::notFound(QStringLiteral("no such tradesman")));
        p->online = hub.isOnline(id);
        return HttpResponse::json(200, profileJson(*p));
    });
}

} // namespace

void addDirectoryRoutes(Router &r)
{
    r.add(HttpMethod::Put, "/api/v1/me/profile", Access::User, putProfile);
    r.add(HttpMethod::Get, "/api/v1/tradesmen", Access::Public, searchTradesmen);
    r.add(HttpMethod::Get, "/api/v1/tradesmen/{id}", Access::Public, getTradesman);
}

} // namespace sanayicin
