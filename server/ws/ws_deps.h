#pragma once

#include "ws_settings.h"

namespace sanayicin {

class ConnectionLimits;
struct ServerMetrics;
namespace chat {
struct Chat;
}

// What the WebSocket side is built on, given by the daemon (app/) to the
// gateway of each network thread: the use cases (chat/), the connection caps
// (net/), the metrics and the settings. All thread-safe; the daemon owns
// them and they outlive every gateway. A gateway keeps its own copy, so that
// a connection reaches each of them through its gateway alone.
struct WsDeps
{
    WsSettings settings;
    ServerMetrics &metrics;
    chat::Chat &chat;
    ConnectionLimits &connections; // the per-user cap (--max-websockets-per-user)
};

} // namespace sanayicin
