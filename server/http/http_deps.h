#pragma once

#include "http_settings.h"

namespace sanayicin {

class ConnectionLimits;
class OperationsStatus;
struct ServerMetrics;
namespace chat {
struct Chat;
}

// What http/ is built on; app/ fills it. All of it thread-safe and owned by
// the daemon, which outlives every HTTP server.
struct HttpDeps
{
    HttpSettings settings;
    ServerMetrics &metrics;
    chat::Chat &chat;               // every use case (chat/)
    OperationsStatus &operations;   // readiness, draining, the bridge's state
    ConnectionLimits *connections = nullptr; // caps on open connections (net/)
};

} // namespace sanayicin
