#include "server_metrics.h"

namespace sanayicin {

ServerMetrics::ServerMetrics(MetricsRegistry &r)
    : registry(r)
    , wsConnections(r.gauge("sanayicin_websocket_connections", "Open WebSocket connections."))
    , onlineUsers(r.gauge("sanayicin_online_users", "Users with at least one connection here."))
    , messagesReceived(r.counter("sanayicin_messages_received_total",
                                 "Messages received from clients (WebSocket and HTTP)."))
    , messagesDelivered(r.counter("sanayicin_messages_delivered_total",
                                  "Message frames written to WebSocket connections."))
    , messagesPersisted(r.counter("sanayicin_messages_persisted_total",
                                  "Messages committed to the database by this instance."))
    , messagesFannedOut(r.counter("sanayicin_messages_fanned_out_total",
                                  "Committed messages passed to the network threads."))
    , gapFills(r.counter("sanayicin_delivery_gap_fills_total",
                         "Messages read from the database to fill a delivery gap."))
    , receiveToAck(r.histogram("sanayicin_receive_to_ack_seconds",
                               "From a send's arrival to its commit and ack.", latencyBuckets()))
    , dbQuery(r.histogram("sanayicin_db_query_seconds", "Duration of database statements.",
                          latencyBuckets()))
    , writerBatches(r.counter("sanayicin_jobs_total", "Finished jobs by queue and outcome.",
                              "queue=\"writer\",outcome=\"committed\""))
    , writerFailures(r.counter("sanayicin_jobs_total", "Finished jobs by queue and outcome.",
                               "queue=\"writer\",outcome=\"failed\""))
    , writerRefused(r.counter("sanayicin_jobs_total", "Finished jobs by queue and outcome.",
                              "queue=\"writer\",outcome=\"refused\""))
    , writerBatchSeconds(r.histogram("sanayicin_writer_batch_seconds",
                                     "Duration of one group commit.", latencyBuckets()))
    , bridgePublished(r.counter("sanayicin_bridge_published_total",
                                "Events published to Redis for other instances."))
    , bridgeReceived(r.counter("sanayicin_bridge_received_total",
                               "Events received from Redis from other instances."))
    , bridgeReconnects(r.counter("sanayicin_bridge_reconnects_total",
                                 "Times the Redis bridge came back after losing Redis (failed attempts are not counted; see bridge_connected)."))
    , wsRejectedFrames(r.counter("sanayicin_websocket_rejected_frames_total",
                                 "Client frames answered with an error."))
    , rateLimited(r.counter("sanayicin_rate_limited_total", "Requests and frames refused by a rate limit."))
    , httpResponses(r.counter("sanayicin_http_responses_total", "HTTP responses by status class.",
                              "class=\"all\""))
    , http4xx(r.counter("sanayicin_http_responses_total", "HTTP responses by status class.",
                        "class=\"4xx\""))
    , http5xx(r.counter("sanayicin_http_responses_total", "HTTP responses by status class.",
                        "class=\"5xx\""))
{}

void ServerMetrics::countHttp(const QByteArray &route, int status, double seconds)
{
    httpResponses.inc();
    if (status >= 500)
        http5xx.inc();
    else if (status >= 400)
        http4xx.inc();
    const QByteArray routeLabel = "route=\"" + labelValue(route) + '"';
    registry
        .counter("sanayicin_http_requests_total", "HTTP requests by route and status.",
                 routeLabel + ",status=\"" + QByteArray::number(status) + '"')
        .inc();
    registry
        .histogram("sanayicin_http_request_duration_seconds", "HTTP request duration by route.",
                   latencyBuckets(), routeLabel)
        .observe(seconds);
}

QByteArray ServerMetrics::closeCodeLabel(int code)
{
    // The codes RFC 6455 and the IANA registry define and the ones this
    // server uses; anything else a client may put in its close frame
    // (3000-4999 are free for applications) counts as "other", so that no
    // client can create series at will.
    switch (code) {
    case 1000: case 1001: case 1002: case 1003: case 1005: case 1006: case 1007: case 1008:
    case 1009: case 1010: case 1011: case 1012: case 1013: case 1014: case 4000: case 4001:
    case 4003:
        return QByteArray::number(code);
    default:
        return "other";
    }
}

void ServerMetrics::countClose(int code)
{
    registry
        .counter("sanayicin_websocket_closes_total", "WebSocket closes by close code.",
                 "code=\"" + closeCodeLabel(code) + '"')
        .inc();
}

} // namespace sanayicin
