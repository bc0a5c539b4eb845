#pragma once

#include "metrics/metrics.h"

#include <QByteArray>

namespace sanayicin {

// The daemon's metrics, looked up once at start so that hot paths only touch
// atomics. Names start with sanayicin_ (spec, Operations). A module of its
// own (on common/ only) so that any layer may count: the daemon creates it
// with the registry and serves the registry at /metrics.
struct ServerMetrics
{
    explicit ServerMetrics(MetricsRegistry &registry);

    MetricsRegistry &registry;
    Gauge &wsConnections;
    Gauge &onlineUsers;
    Counter &messagesReceived;
    Counter &messagesDelivered;
    Counter &messagesPersisted;
    Counter &messagesFannedOut;
    Counter &gapFills;
    Histogram &receiveToAck;
    Histogram &dbQuery;
    Counter &writerBatches;
    Counter &writerFailures;
    Counter &writerRefused;
    Histogram &writerBatchSeconds;
    Counter &bridgePublished;
    Counter &bridgeReceived;
    Counter &bridgeReconnects;
    Counter &wsRejectedFrames;
    Counter &rateLimited;
    // Every HTTP response, and the 4xx and 5xx among them (the stats series).
    Counter &httpResponses;
    Counter &http4xx;
    Counter &http5xx;

    // One child per route and status; the look-up takes the registry's lock.
    void countHttp(const QByteArray &route, int status, double seconds);
    // By code: the known ones by number, any other as "other" (the code
    // comes from the client's close frame: bounded, one series each).
    void countClose(int code);
    static QByteArray closeCodeLabel(int code);
};

} // namespace sanayicin
