// PUT /me/profile; GET /tradesmen, /tradesmen/{id}.

#include "chat/chat.h"
#include "http_call.h"
#include "http_deps.h"
#include "protocol/http_bodies.h"
#include "protocol/limits.h"
#include "query_params.h"
#include "router.h"
#include "routes.h"
#include "text/text_rules.h"

#include <limits>

namespace sanayicin {

namespace {

void respondProfile(const CallPtr &call, const chat::Outcome<Profile> &profile)
{
    if (!profile.ok()) {
        call->fail(profile.error());
        return;
    }
    call->respond(HttpResponse::json(200, profileJson(profile.value())));
}

void putProfile(const CallPtr &call)
{
    // Before the body: a customer is told no whatever they sent.
    if (auto refused = chat::Directory::mayHaveProfile(call->auth.user)) {
        call->fail(*refused);
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
    call->deps.chat.directory.saveProfile(
        call->caller(), call->auth.user, *req,
        [call](chat::Outcome<Profile> saved) { respondProfile(call, saved); });
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
    const chat::Directory::Search search{call->request.queryValue("category").trimmed(),
                                         call->request.queryValue("city").trimmed(), q, *limit,
                                         *offset};
    call->deps.chat.directory.search(call->caller(), search,
                                     [call](chat::Outcome<QByteArray> page) {
                                         if (!page.ok()) {
                                             call->fail(page.error());
                                             return;
                                         }
                                         call->respond(HttpResponse::json(200, page.value()));
                                     });
}

void getTradesman(const CallPtr &call)
{
    call->deps.chat.directory.get(
        call->caller(), call->request.idParam(0),
        [call](chat::Outcome<Profile> profile) { respondProfile(call, profile); });
}

} // namespace

void addDirectoryRoutes(Router &r)
{
    r.add(HttpMethod::Put, "/api/v1/me/profile", Access::User, putProfile);
    r.add(HttpMethod::Get, "/api/v1/tradesmen", Access::Public, searchTradesmen);
    r.add(HttpMethod::Get, "/api/v1/tradesmen/{id}", Access::Public, getTradesman);
}

} // namespace sanayicin
