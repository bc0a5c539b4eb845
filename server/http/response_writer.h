#pragma once

#include "http_types.h"

#include <QByteArray>

namespace sanayicin {

// The headers every HTTP response of the daemon carries, so that the page is
// safe without nginx in front: a strict CSP (the page loads only its own
// /assets/*.js and .css, no inline script or style, and talks to /api and /ws
// on its own origin; CSP 3 lets 'self' match ws:/wss: of that host), no
// framing, no MIME sniffing, no Referer. One "Name: value\r\n" per line.
QByteArray securityHeaderLines();

// One whole HTTP/1.1 response: status line, headers (Content-Length always,
// except for 204), the security headers, and the body unless `head`.
// `close` adds "Connection: close".
QByteArray serializeResponse(const HttpResponse &response, bool head, bool close);

} // namespace sanayicin
