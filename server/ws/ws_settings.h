#pragma once

#include "rate/rate_rule.h"
#include "settings/live.h"

#include <QString>

namespace sanayicin {

// The settings the WebSocket side reads, filled by the daemon (app/) from
// its configuration. The Live ones are references into it: a reload
// (SIGHUP) publishes a new value and every connection sees it at its next
// frame, for one load as before. The others need a restart and are copied.
struct WsSettings
{
    const Live<RateRule> &frameRule;        // every frame, per connection (--frame-rate)
    const Live<qint64> &outgoingLimitBytes; // unsent bytes before 1008 (--outgoing-limit)
    QString instanceId;                     // in hello
    int heartbeatSeconds = 30;              // in hello; pings after that much silence
    int authTimeoutMs = 10000;              // for the auth frame
    int syncGraceMs = 1000;                 // live messages held after hello
};

} // namespace sanayicin
