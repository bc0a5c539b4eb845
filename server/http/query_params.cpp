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

} // namespace sanayicin
