#include "api_error.h"

namespace sanayicin::console {

QString ApiError::describe(bool duringLogin) const
{
    QString text;
    switch (kind) {
    case None:
        return {};
    case ServerDown:
        text = tr("The server does not answer. Check the address, or whether it is running.");
        break;
    case Tls:
        text = tr("Secure connection failed (TLS): the server's certificate is not trusted or the handshake failed.");
        break;
    case Unauthorized:
        text = duringLogin ? tr("Wrong username or password.")
                           : tr("Your session has ended. Please log in again.");
        break;
    case Forbidden:
        text = duringLogin ? tr("This account is banned.")
                           : tr("This account is not an administrator.");
        break;
    case NotAdmin:
        text = tr("This account is not an administrator.");
        break;
    case NotFound:
        text = tr("Not found: it may have been removed already.");
        break;
    case RateLimited:
        text = tr("Too many requests. Try again in %n second(s).", nullptr,
                  qMax(1, retryAfterSeconds));
        break;
    case BadRequest:
        text = tr("The server refused the request.");
        break;
    case Unavailable:
        text = tr("The server is busy or shutting down. Try again shortly.");
        break;
    case ServerError:
        text = tr("The server had an internal error.");
        break;
    }
    // The server's own sentence (English) or Qt's says what exactly.
    const QString detail = !transportDetail.isEmpty() ? transportDetail : serverMessage;
    if (!detail.isEmpty() && kind != Unauthorized && kind != RateLimited)
        text += QLatin1Char(' ') + tr("(Details: %1)").arg(detail);
    return text;
}

} // namespace sanayicin::console
