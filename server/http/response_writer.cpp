#include "response_writer.h"

namespace sanayicin {

namespace {

const char *reasonPhrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Status";
    }
}

} // namespace

QByteArray securityHeaderLines()
{
    return QByteArrayLiteral(
        "Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self'; "
        "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'\r\n"
        "X-Frame-Options: DENY\r\n"
        "X-Content-Type-Options: nosniff\r\n"
        "Referrer-Policy: no-referrer\r\n"
        "Cross-Origin-Opener-Policy: same-origin\r\n");
}

QByteArray serializeResponse(const HttpResponse &r, bool head, bool close)
{
    static const QByteArray security = securityHeaderLines();
    QByteArray out;
    out.reserve(512 + (head ? 0 : r.body.size()));
    out += "HTTP/1.1 ";
    out += QByteArray::number(r.status);
    out += ' ';
    out += reasonPhrase(r.status);
    out += "\r\n";
    if (!r.contentType.isEmpty() && r.status != 204) {
        out += "Content-Type: ";
        out += r.contentType;
        out += "\r\nCache-Control: no-store\r\n";
    }
    if (r.status != 204) {
        out += "Content-Length: ";
        out += QByteArray::number(r.body.size());
        out += "\r\n";
    }
    for (const auto &[name, value] : r.headers) {
        out += name;
        out += ": ";
        out += value;
        out += "\r\n";
    }
    out += security;
    if (close)
        out += "Connection: close\r\n";
    out += "\r\n";
    if (!head && r.status != 204)
        out += r.body;
    return out;
}

} // namespace sanayicin
