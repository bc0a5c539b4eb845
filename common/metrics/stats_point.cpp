#include "stats_point.h"

#include "json/json_writer.h"
#include "time/rfc3339.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace sanayicin {

QList<StatsPoint> sumBySecond(const QList<QList<StatsPoint>> &parts)
{
    std::map<qint64, StatsPoint> bySecond;
    std::map<qint64, std::pair<double, double>> errors; // errors/s, 5xx/s
    auto maxOf = [](std::optional<double> &a, const std::optional<double> &b) {
        if (b && (!a || *b > *a))
            a = b;
    };
    for (const QList<StatsPoint> &points : parts)
        for (const StatsPoint &p : points) {
            StatsPoint &sum = bySecond[p.second];
            sum.second = p.second;
            sum.messagesIn += p.messagesIn;
            sum.messagesOut += p.messagesOut;
            sum.connections += p.connections;
            sum.httpRps += p.httpRps;
            sum.writerBacklog += p.writerBacklog;
            maxOf(sum.ackP50Ms, p.ackP50Ms);
            maxOf(sum.ackP95Ms, p.ackP95Ms);
            maxOf(sum.ackP99Ms, p.ackP99Ms);
            errors[p.second].first += p.httpErrorRate * p.httpRps;
            errors[p.second].second += p.http5xxRate * p.httpRps;
        }
    QList<StatsPoint> out;
    for (auto &[second, p] : bySecond) {
        if (p.httpRps > 0) {
            p.httpErrorRate = std::min(1.0, errors[second].first / p.httpRps);
            p.http5xxRate = std::min(p.httpErrorRate, errors[second].second / p.httpRps);
        }
        out << p;
    }
    return out;
}

namespace {

// A rate or a latency: three decimals are plenty for a chart.
void writeNumber(JsonWriter &w, double v)
{
    w.raw(QByteArray::number(std::isfinite(v) ? v : 0.0, 'f', 3));
}

void writeNumber(JsonWriter &w, const std::optional<double> &v)
{
    if (v)
        writeNumber(w, *v);
    else
        w.null();
}

} // namespace

void writeStatsPoint(JsonWriter &w, const StatsPoint &p)
{
    w.beginObject().key("t").utf8(formatRfc3339Ms(p.second * 1000));
    w.key("messages_in");
    writeNumber(w, p.messagesIn);
    w.key("messages_out");
    writeNumber(w, p.messagesOut);
    w.key("ack_p50_ms");
    writeNumber(w, p.ackP50Ms);
    w.key("ack_p95_ms");
    writeNumber(w, p.ackP95Ms);
    w.key("ack_p99_ms");
    writeNumber(w, p.ackP99Ms);
    w.field("connections", p.connections);
    w.key("http_rps");
    writeNumber(w, p.httpRps);
    w.key("http_error_rate");
    writeNumber(w, p.httpErrorRate);
    w.key("http_5xx_rate");
    writeNumber(w, p.http5xxRate);
    w.field("writer_backlog", p.writerBacklog).endObject();
}

} // namespace sanayicin
