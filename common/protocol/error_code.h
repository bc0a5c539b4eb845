#pragma once

#include <QByteArray>
#include <QString>

namespace sanayicin {

// The spec's error codes, each with its one HTTP status.
enum class ErrorCode {
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    TooLarge,
    RateLimited,
    Unavailable,
    Internal,
};

const char *errorCodeName(ErrorCode code);
int httpStatusOf(ErrorCode code);

// An error as the API reports it: a code and a sentence for a person. Never
// carries SQL, a stack or another user's data.
struct ApiError
{
    ErrorCode code = ErrorCode::Internal;
    QString message;
    int retryAfterMs = 0; // rate_limited only

    static ApiError badRequest(QString m) { return {ErrorCode::BadRequest, std::move(m)}; }
    static ApiError notFound(QString m) { return {ErrorCode::NotFound, std::move(m)}; }
    static ApiError forbidden(QString m) { return {ErrorCode::Forbidden, std::move(m)}; }
    static ApiError unauthorized(QString m) { return {ErrorCode::Unauthorized, std::move(m)}; }
    static ApiError conflict(QString m) { return {ErrorCode::Conflict, std::move(m)}; }
    static ApiError internal() { return {ErrorCode::Internal, QStringLiteral("internal error")}; }
    static ApiError unavailable(QString m) { return {ErrorCode::Unavailable, std::move(m)}; }
};

// {"error": {"code": ..., "message": ...}}
QByteArray httpErrorBody(const ApiError &error);

} // namespace sanayicin
