#include "stats_sampler.h"

#include "server_metrics.h"

namespace sanayicin {

StatsSampler::StatsSampler(const ServerMetrics &metrics, StatsHistory &history,
                           std::function<qint64()> writerBacklog)
    : m_metrics(metrics), m_history(history), m_writerBacklog(std::move(writerBacklog))
    , m_last(read())
{}

StatsSampler::Totals StatsSampler::read() const
{
    Totals t;
    t.in = m_metrics.messagesReceived.value();
    t.out = m_metrics.messagesDelivered.value();
    t.http = m_metrics.httpResponses.value();
    t.http4xx = m_metrics.http4xx.value();
    t.http5xx = m_metrics.http5xx.value();
    const Histogram &h = m_metrics.receiveToAck;
    for (size_t i = 0; i < t.ack.size() && i <= h.bounds().size(); ++i)
        t.ack[i] = h.bucketCount(i);
    return t;
}

void StatsSampler::sample(qint64 nowMs)
{
    const Totals now = read();
    StatsSample s;
    s.second = nowMs / 1000;
    s.messagesIn = qint64(now.in - m_last.in);
    s.messagesOut = qint64(now.out - m_last.out);
    for (size_t i = 0; i < s.ack.size(); ++i)
        s.ack[i] = quint32(now.ack[i] - m_last.ack[i]);
    s.httpRequests = qint64(now.http - m_last.http);
    s.http4xx = qint64(now.http4xx - m_last.http4xx);
    s.http5xx = qint64(now.http5xx - m_last.http5xx);
    s.connections = m_metrics.wsConnections.value();
    s.writerBacklog = m_writerBacklog ? m_writerBacklog() : 0;
    m_last = now;
    m_history.append(s);
}

} // namespace sanayicin
