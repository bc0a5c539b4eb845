#pragma once

#include "metrics/stats_point.h"

#include <QList>
#include <QMutex>
#include <QtGlobal>
#include <array>
#include <optional>
#include <vector>

namespace sanayicin {

// What happened on this instance in one second, as the sampler counted it.
struct StatsSample
{
    // The ack-latency buckets: the counts of `sanayicin_receive_to_ack_seconds`
    // (latencyBuckets(), plus the one above the last bound) in that second.
    static constexpr size_t kAckBuckets = 17;

    qint64 second = 0; // since the epoch
    qint64 messagesIn = 0;
    qint64 messagesOut = 0;
    std::array<quint32, kAckBuckets> ack{};
    qint64 connections = 0; // at the end of the second
    qint64 httpRequests = 0;
    qint64 http4xx = 0;
    qint64 http5xx = 0;
    qint64 writerBacklog = 0; // at the end of the second
};


// The last hour of one instance at 1 s resolution: a ring of 3600 samples,
// written once a second by the sampler, read by the console's requests and
// the admin stream's tick. Thread-safe (one mutex, taken once a second by the
// writer; never on a message's path).
class StatsHistory
{
public:
    static constexpr qint64 kSeconds = 3600;

    // A sample for a second already recorded is added to it (a timer that
    // fired twice in one second loses nothing); one older than the newest is
    // dropped.
    void append(const StatsSample &s);

    // The newest second as a point (step 1), if any was recorded.
    std::optional<StatsPoint> latest() const;

    // The seconds (lastSecond - windowS, lastSecond], in steps of `stepS`
    // aligned to multiples of it (so that instances' points line up); a step
    // with no sample has no point. Oldest first.
    QList<StatsPoint> series(qint64 lastSecond, qint64 windowS, qint64 stepS) const;

    // The p-th percentile (0 < p < 1) in ms of a latency histogram counted in
    // latencyBuckets(), interpolated within its bucket; none if it is empty.
    static std::optional<double> percentileMs(const std::array<quint64, StatsSample::kAckBuckets> &counts,
                                              double p);

private:
    static StatsPoint aggregate(const std::vector<const StatsSample *> &samples, qint64 stepStart);

    mutable QMutex m_mutex;
    std::vector<StatsSample> m_ring = std::vector<StatsSample>(size_t(kSeconds));
    qint64 m_newest = -1; // the newest second recorded
};

} // namespace sanayicin
