#pragma once

#include <QList>
#include <QtGlobal>
#include <optional>

namespace sanayicin {

// One point of an instance's stats series (or the cluster's): rates per
// second over its step, latencies in ms. In common/ because the series
// travels between instances (bridge/admin_wire) as well as out of the
// history that keeps it (metrics/stats_history).
struct StatsPoint
{
    qint64 second = 0; // the step's first second since the epoch
    double messagesIn = 0;
    double messagesOut = 0;
    std::optional<double> ackP50Ms, ackP95Ms, ackP99Ms; // none: no ack in the step
    qint64 connections = 0;   // the step's last sample
    double httpRps = 0;
    double httpErrorRate = 0; // (4xx + 5xx) / requests, 0 without requests
    double http5xxRate = 0;   // 5xx / requests
    qint64 writerBacklog = 0; // the step's largest

    bool operator==(const StatsPoint &) const = default;
};

// The cluster's points from its instances': the points of one second summed
// (rates, connections, backlog), the error rates weighted by requests, the
// latency percentiles the largest of the instances' (a bound, not the
// cluster's own percentile: the histograms are not sent). Oldest first.
QList<StatsPoint> sumBySecond(const QList<QList<StatsPoint>> &parts);

class JsonWriter;
// A Point of docs/protocol.md ("Cluster views and stats") as a JSON object.
void writeStatsPoint(JsonWriter &w, const StatsPoint &p);

} // namespace sanayicin
