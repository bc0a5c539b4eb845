#include "metrics.h"

#include <algorithm>

namespace sanayicin {

Histogram::Histogram(std::vector<double> upperBounds)
    : m_bounds(std::move(upperBounds))
    , m_counts(new std::atomic<quint64>[m_bounds.size() + 1])
{
    for (size_t i = 0; i <= m_bounds.size(); ++i)
        m_counts[i].store(0);
}

void Histogram::observe(double v)
{
    const auto it = std::lower_bound(m_bounds.begin(), m_bounds.end(), v);
    m_counts[size_t(it - m_bounds.begin())].fetch_add(1, std::memory_order_relaxed);
    m_count.fetch_add(1, std::memory_order_relaxed);
    m_sum.fetch_add(v, std::memory_order_relaxed);
}

std::vector<double> latencyBuckets()
{
    return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
            0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};
}

MetricsRegistry::Family &MetricsRegistry::family(const QByteArray &name, const QByteArray &help,
                                                 Type type)
{
    auto it = m_families.find(name);
    if (it == m_families.end())
        it = m_families.emplace(name, Family{type, help, {}, {}, {}, {}}).first;
    return it->second;
}

Counter &MetricsRegistry::counter(const QByteArray &name, const QByteArray &help,
                                  const QByteArray &labels)
{
    QMutexLocker lock(&m_mutex);
    auto &slot = family(name, help, Type::Counter).counters[labels];
    if (!slot)
        slot = std::make_unique<Counter>();
    return *slot;
}

Gauge &MetricsRegistry::gauge(const QByteArray &name, const QByteArray &help,
                              const QByteArray &labels)
{
    QMutexLocker lock(&m_mutex);
    auto &slot = family(name, help, Type::Gauge).gauges[labels];
    if (!slot)
        slot = std::make_unique<Gauge>();
    return *slot;
}

Histogram &MetricsRegistry::histogram(const QByteArray &name, const QByteArray &help,
                                      const std::vector<double> &bounds, const QByteArray &labels)
{
    QMutexLocker lock(&m_mutex);
    auto &slot = family(name, help, Type::Histogram).histograms[labels];
    if (!slot)
        slot = std::make_unique<Histogram>(bounds);
    return *slot;
}

void MetricsRegistry::callbackGauge(const QByteArray &name, const QByteArray &help,
                                    std::function<double()> read, const QByteArray &labels)
{
    QMutexLocker lock(&m_mutex);
    family(name, help, Type::Gauge).callbacks[labels] = std::move(read);
}

namespace {

QByteArray number(double v)
{
    if (v == double(qint64(v)) && v < 1e15 && v > -1e15)
        return QByteArray::number(qint64(v));
    return QByteArray::number(v, 'g', 12);
}

void sample(QByteArray &out, const QByteArray &name, const QByteArray &labels, const QByteArray &v)
{
    out += name;
    if (!labels.isEmpty()) {
        out += '{';
        out += labels;
        out += '}';
    }
    out += ' ';
    out += v;
    out += '\n';
}

QByteArray joinLabels(const QByteArray &a, const QByteArray &b)
{
    if (a.isEmpty())
        return b;
    return a + ',' + b;
}

} // namespace

QByteArray MetricsRegistry::render() const
{
    QMutexLocker lock(&m_mutex);
    QByteArray out;
    out.reserve(16384);
    for (const auto &[name, f] : m_families) {
        out += "# HELP " + name + ' ' + f.help + '\n';
        out += "# TYPE " + name + ' ';
        out += f.type == Type::Counter ? "counter" : f.type == Type::Gauge ? "gauge" : "histogram";
        out += '\n';
        for (const auto &[labels, c] : f.counters)
            sample(out, name, labels, QByteArray::number(c->value()));
        for (const auto &[labels, g] : f.gauges)
            sample(out, name, labels, QByteArray::number(g->value()));
        for (const auto &[labels, read] : f.callbacks)
            sample(out, name, labels, number(read()));
        for (const auto &[labels, h] : f.histograms) {
            quint64 cumulative = 0;
            for (size_t i = 0; i < h->bounds().size(); ++i) {
                cumulative += h->bucketCount(i);
                sample(out, name + "_bucket",
                       joinLabels(labels, "le=\"" + number(h->bounds()[i]) + '"'),
                       QByteArray::number(cumulative));
            }
            cumulative += h->bucketCount(h->bounds().size());
            sample(out, name + "_bucket", joinLabels(labels, "le=\"+Inf\""),
                   QByteArray::number(cumulative));
            sample(out, name + "_sum", labels, number(h->sum()));
            sample(out, name + "_count", labels, QByteArray::number(cumulative));
        }
    }
    return out;
}

QByteArray labelValue(const QByteArray &raw)
{
    QByteArray out;
    out.reserve(raw.size());
    for (char c : raw) {
        if (c == '\\' || c == '"')
            out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

} // namespace sanayicin
