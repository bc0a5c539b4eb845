#include "error_code.h"

#include "json/json_writer.h"

namespace sanayicin {

const char *errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::BadRequest: return "bad_request";
    case ErrorCode::Unauthorized: return "unauthorized";
    case ErrorCode::Forbidden: return "forbidden";
    case ErrorCode::NotFound: return "not_found";
    case ErrorCode::Conflict: return "conflict";
    case ErrorCode::TooLarge: return "too_large";
    case ErrorCode::RateLimited: return "rate_limited";
    case ErrorCode::Unavailable: return "unavailable";
    case ErrorCode::Internal: return "internal";
    }
    return "internal";
}

int httpStatusOf(ErrorCode code)
{
    switch (code) {
    case ErrorCode::BadRequest: return 400;
    case ErrorCode::Unauthorized: return 401;
    case ErrorCode::Forbidden: return 403;
    case ErrorCode::NotFound: return 404;
    case ErrorCode::Conflict: return 409;
    case ErrorCode::TooLarge: return 413;
    case ErrorCode::RateLimited: return 429;
    case ErrorCode::Unavailable: return 503;
    case ErrorCode::Internal: return 500;
    }
    return 500;
}

QByteArray httpErrorBody(const ApiError &error)
{
    QByteArray out;
    JsonWriter w(out);
    w.beginObject().key("error").beginObject();
    w.key("code").utf8(errorCodeName(error.code));
    w.field("message", error.message);
    w.endObject().endObject();
    return out;
}

} // namespace sanayicin
