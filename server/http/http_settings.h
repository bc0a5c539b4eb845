#pragma once

#include "settings/live.h"

#include <QHostAddress>
#include <QList>
#include <QString>
#include <QtGlobal>

namespace sanayicin {

// What http/ reads of the daemon's configuration; app/ fills it from
// DaemonConfig. Live<> members are references: a reload (SIGHUP) changes
// them for the next request or connection without a restart. The others
// are taken at start.
struct HttpSettings
{
    // Request framing, read as each connection opens.
    const Live<int> &requestLineLimit;
    const Live<int> &headerLimit;
    const Live<int> &headerCountLimit;
    const Live<qint64> &bodyLimitBytes;
    // Responses owed and bytes unsent before a connection stops being read.
    const Live<int> &pipelineLimit;
    const Live<qint64> &unsentLimitBytes;
    // For the WebSocket transports an upgrade hands to the gateway.
    const Live<qint64> &frameLimitBytes;
    int idleTimeoutMs = 60000;
    int requestTimeoutMs = 30000;
    int lingerMs = 2000;
    QList<QHostAddress> trustedProxies; // whose X-Real-IP / X-Forwarded-For count
    bool nativeWebSocket = true;        // our RFC 6455, else QtWebSockets
    QString metricsToken;               // empty: /metrics needs no token
    QString webRoot;                    // empty: the page built into the binary
};

} // namespace sanayicin
