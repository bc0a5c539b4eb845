#pragma once

#include <QByteArray>
#include <QMutex>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace sanayicin {

// Prometheus metrics. Updating is lock-free (atomics); looking a child up by
// its labels takes a lock, so hot paths look up once and keep the reference.

class Counter
{
public:
    void inc(quint64 n = 1) { m_value.fetch_add(n, std::memory_order_relaxed); }
    quint64 value() const { return m_value.load(std::memory_order_relaxed); }

private:
    std::atomic<quint64> m_value{0};
};

class Gauge
{
public:
    void set(qint64 v) { m_value.store(v, std::memory_order_relaxed); }
    void add(qint64 d) { m_value.fetch_add(d, std::memory_order_relaxed); }
    qint64 value() const { return m_value.load(std::memory_order_relaxed); }

private:
    std::atomic<qint64> m_value{0};
};

class Histogram
{
public:
    explicit Histogram(std::vector<double> upperBounds);
    void observe(double v);

    const std::vector<double> &bounds() const { return m_bounds; }
    quint64 bucketCount(size_t i) const { return m_counts[i].load(std::memory_order_relaxed); }
    quint64 count() const { return m_count.load(std::memory_order_relaxed); }
    double sum() const { return m_sum.load(std::memory_order_relaxed); }

private:
    std::vector<double> m_bounds;
    std::unique_ptr<std::atomic<quint64>[]> m_counts; // per bucket, not cumulative
    std::atomic<quint64> m_count{0};
    std::atomic<double> m_sum{0};
};

// Buckets in seconds for latencies from 100 µs to 10 s.
std::vector<double> latencyBuckets();

class MetricsRegistry
{
public:
    // `labels` is the inside of the braces, already formatted, e.g.
    // `route="/api/v1/me",status="200"`; empty for none.
    Counter &counter(const QByteArray &name, const QByteArray &help, const QByteArray &labels = {});
    Gauge &gauge(const QByteArray &name, const QByteArray &help, const QByteArray &labels = {});
    Histogram &histogram(const QByteArray &name, const QByteArray &help,
                         const std::vector<double> &bounds, const QByteArray &labels = {});
    // A gauge read when scraped (queue depths and the like).
    void callbackGauge(const QByteArray &name, const QByteArray &help,
                       std::function<double()> read, const QByteArray &labels = {});

    // The text exposition format, version 0.0.4.
    QByteArray render() const;

private:
    enum class Type { Counter, Gauge, Histogram };
    struct Family
    {
        Type type;
        QByteArray help;
        std::map<QByteArray, std::unique_ptr<Counter>> counters;
        std::map<QByteArray, std::unique_ptr<Gauge>> gauges;
        std::map<QByteArray, std::unique_ptr<Histogram>> histograms;
        std::map<QByteArray, std::function<double()>> callbacks;
    };
    Family &family(const QByteArray &name, const QByteArray &help, Type type);

    mutable QMutex m_mutex;
    std::map<QByteArray, Family> m_families;
};

// Escapes a label value for the exposition format.
QByteArray labelValue(const QByteArray &raw);

} // namespace sanayicin
