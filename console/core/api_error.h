#pragma once

#include <QCoreApplication>
#include <QString>

namespace sanayicin::console {

// What went wrong with one request, sorted into the cases a person acts on
// differently: the server is not there, TLS, the login, the role, a budget.
struct ApiError
{
    Q_DECLARE_TR_FUNCTIONS(ApiError)
public:
    enum Kind {
        None,
        ServerDown,   // refused, unreachable, timed out, or the proxy found no instance
        Tls,          // certificate or handshake
        Unauthorized, // 401: a wrong login, or the token ended
        Forbidden,    // 403: not an administrator, or banned
        NotAdmin,     // logged in fine, but the account is not an administrator
        NotFound,
        RateLimited,  // 429
        BadRequest,   // 400 and other client errors
        Unavailable,  // 503 from the daemon itself
        ServerError,  // 500, or an answer that is not the protocol's
    };

    Kind kind = None;
    int status = 0;          // HTTP status, 0 without an answer
    QString code;            // the protocol's error code, when there was one
    QString serverMessage;   // the protocol's sentence (English), for details
    QString transportDetail; // Qt's sentence for network and TLS failures
    int retryAfterSeconds = 0;

    bool isError() const { return kind != None; }
    // A sentence for the person at the console, in the current language.
    // `duringLogin` reads 401 as a wrong password and 403 as a banned account.
    QString describe(bool duringLogin = false) const;
};

} // namespace sanayicin::console
