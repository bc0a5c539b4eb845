#include "stats_history.h"

#include "metrics/metrics.h"

#include <algorithm>

namespace sanayicin {

namespace {

size_t slotOf(qint64 second)
{
    return size_t(((second % StatsHistory::kSeconds) + StatsHistory::kSeconds) % StatsHistory::kSeconds);
}

qint64 floorTo(qint64 v, qint64 step)
{
    return v >= 0 ? v - v % step : v - (step - (-v % step)) % step;
}

} // namespace

void StatsHistory::append(const StatsSample &s)
{
    QMutexLocker lock(&m_mutex);
    if (s.second < m_newest)
        return;
    StatsSample &slot = m_ring[slotOf(s.second)];
    if (s.second == m_newest && slot.second == s.second) {
        slot.messagesIn += s.messagesIn;
        slot.messagesOut += s.messagesOut;
        for (size_t i = 0; i < slot.ack.size(); ++i)
            slot.ack[i] += s.ack[i];
        slot.httpRequests += s.httpRequests;
        slot.http4xx += s.http4xx;
        slot.http5xx += s.http5xx;
        slot.connections = s.connections;
        slot.writerBacklog = std::max(slot.writerBacklog, s.writerBacklog);
        return;
    }
    slot = s;
    m_newest = s.second;
}

std::optional<StatsPoint> StatsHistory::latest() const
{
    QMutexLocker lock(&m_mutex);
    if (m_newest < 0)
        return std::nullopt;
    return aggregate({&m_ring[slotOf(m_newest)]}, m_newest);
}

QList<StatsPoint> StatsHistory::series(qint64 lastSecond, qint64 windowS, qint64 stepS) const
{
    QList<StatsPoint> out;
    if (windowS <= 0 || stepS <= 0)
        return out;
    windowS = std::min(windowS, kSeconds);
    const qint64 first = lastSecond - windowS + 1;
    QMutexLocker lock(&m_mutex);
    std::vector<const StatsSample *> step;
    for (qint64 start = floorTo(first, stepS); start <= lastSecond; start += stepS) {
        step.clear();
        for (qint64 sec = std::max(start, first); sec < start + stepS && sec <= lastSecond; ++sec) {
            const StatsSample &s = m_ring[slotOf(sec)];
            // A slot holds an older hour's second (or nothing) until written.
            if (s.second == sec && sec <= m_newest && sec > m_newest - kSeconds)
                step.push_back(&s);
        }
        if (!step.empty())
            out << aggregate(step, start);
    }
    return out;
}

StatsPoint StatsHistory::aggregate(const std::vector<const StatsSample *> &samples, qint64 stepStart)
{
    StatsPoint p;
    p.second = stepStart;
    std::array<quint64, StatsSample::kAckBuckets> ack{};
    qint64 in = 0, out = 0, requests = 0, errors = 0, errors5xx = 0;
    for (const StatsSample *s : samples) {
        in += s->messagesIn;
        out += s->messagesOut;
        for (size_t i = 0; i < ack.size(); ++i)
            ack[i] += s->ack[i];
        requests += s->httpRequests;
        errors += s->http4xx + s->http5xx;
        errors5xx += s->http5xx;
        p.writerBacklog = std::max(p.writerBacklog, s->writerBacklog);
    }
    // Rates are per second of the step that has samples: a missing second
    // (the daemon stalled) does not dilute the others.
    const double seconds = double(samples.size());
    p.messagesIn = double(in) / seconds;
    p.messagesOut = double(out) / seconds;
    p.httpRps = double(requests) / seconds;
    p.httpErrorRate = requests ? double(errors) / double(requests) : 0;
    p.http5xxRate = requests ? double(errors5xx) / double(requests) : 0;
    p.connections = samples.back()->connections;
    p.ackP50Ms = percentileMs(ack, 0.50);
    p.ackP95Ms = percentileMs(ack, 0.95);
    p.ackP99Ms = percentileMs(ack, 0.99);
    return p;
}

std::optional<double> StatsHistory::percentileMs(
    const std::array<quint64, StatsSample::kAckBuckets> &counts, double p)
{
    static const std::vector<double> bounds = latencyBuckets();
    Q_ASSERT(bounds.size() + 1 == StatsSample::kAckBuckets);
    quint64 total = 0;
    for (quint64 c : counts)
        total += c;
    if (total == 0)
        return std::nullopt;
    const double rank = p * double(total);
    quint64 below = 0;
    for (size_t i = 0; i < counts.size(); ++i) {
        if (counts[i] == 0 || double(below + counts[i]) < rank) {
            below += counts[i];
            continue;
        }
        // Above the last bound nothing is known but that bound.
        if (i == bounds.size())
            return bounds.back() * 1000;
        const double lo = i ? bounds[i - 1] : 0, hi = bounds[i];
        const double within = (rank - double(below)) / double(counts[i]);
        return (lo + (hi - lo) * std::clamp(within, 0.0, 1.0)) * 1000;
    }
    return bounds.back() * 1000;
}

} // namespace sanayicin
