#include "query_params.h"

#include "protocol/json_fields.h"

#include <limits>

namespace sanayicin {

std::optional<qint64> queryNumber(const CallPtr &call, const char *name, qint64 fallback,
                                  qint64 max)
{
    const bool present = call->request.hasQuery(name);
    const auto v = parseNonNegative(call->request.queryValue(name), present, fallback, max);
    if (!v)
        call->fail(ApiError::badRequest(
            QStringLiteral("%1 must be a non-negative integer").arg(QLatin1StringView(name))));
    return v;
}

std::optional<std::pair<qint64, qint64>> queryPage(const CallPtr &call, qint64 defaultLimit,
                                                   qint64 maxLimit)
{
    const auto limit = queryNumber(call, "limit", defaultLimit, maxLimit);
    if (!limit)
        return std::nullopt;
    const auto offset = queryNumber(call, "offset", 0, std::numeric_limits<qint64>::max() / 2);
    if (!offset)
        return std::nullopt;
    return std::make_pair(*limit, *offset);
}

} // namespace sanayicin
