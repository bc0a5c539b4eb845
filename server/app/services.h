#pragma once

#include <QByteArray>
#include <atomic>
#include <functional>

namespace sanayicin {

struct DaemonConfig;
struct HttpDeps;
class Hub;

// What the daemon hands each network thread besides the WebSocket deps:
// the settings it starts with, the hub its gateway registers with, the
// HTTP servers' deps, and the daemon's own state. The layers below get
// what they need at construction (chat::ChatDeps, WsDeps, HttpDeps).
struct Services
{
    const DaemonConfig &config;
    Hub &hub;
    HttpDeps *http = nullptr;
    // This instance for the console: {"id", "version", "started_at", ...}.
    std::function<QByteArray()> instanceSummary;
    std::atomic<bool> draining{false};
};

} // namespace sanayicin
