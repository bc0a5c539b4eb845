#include "run_stats.h"

namespace sanayicin::loadgen {

void RunStats::merge(const RunStats &o)
{
    ack.merge(o.ack);
    delivery.merge(o.delivery);
    sendLag.merge(o.sendLag);
    connect.merge(o.connect);
    pingRtt.merge(o.pingRtt);
    scheduled += o.scheduled;
    sent += o.sent;
    skipped += o.skipped;
    acked += o.acked;
    delivered += o.delivered;
    expectedDeliveries += o.expectedDeliveries;
    foreign += o.foreign;
    errors += o.errors;
    refusedSends += o.refusedSends;
    duplicates += o.duplicates;
    orderViolations += o.orderViolations;
    pings += o.pings;
    pongs += o.pongs;
    connectOk += o.connectOk;
    connectFailed += o.connectFailed;
    closes += o.closes;
    reconnects += o.reconnects;
    reconnectFailures += o.reconnectFailures;
    churns += o.churns;
    if (o.firstConnectNs && (!firstConnectNs || o.firstConnectNs < firstConnectNs))
        firstConnectNs = o.firstConnectNs;
    if (o.lastHelloNs > lastHelloNs)
        lastHelloNs = o.lastHelloNs;
    for (const auto &[k, v] : o.errorsByCode)
        errorsByCode[k] += v;
    for (const auto &[k, v] : o.closesByCode)
        closesByCode[k] += v;
    for (const auto &[k, v] : o.connectErrors)
        connectErrors[k] += v;
}

} // namespace sanayicin::loadgen
