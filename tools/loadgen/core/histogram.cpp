#include "histogram.h"

#include <algorithm>
#include <cmath>

namespace sanayicin::loadgen {

namespace {
int log2Floor(uint64_t v)
{
    return 63 - __builtin_clzll(v); // v > 0
}
} // namespace

Histogram::Histogram() : m_counts(kBuckets, 0) {}

size_t Histogram::indexOf(uint64_t value)
{
    if (value < kLinear)
        return size_t(value);
    const int e = log2Floor(value);              // >= kLinearBits
    const int shift = e - (kLinearBits - 1);     // bucket width is 2^shift
    const uint64_t sub = (value >> shift) - kSub; // 0 .. kSub-1
    return size_t(kLinear + uint64_t(e - kLinearBits) * kSub + sub);
}

uint64_t Histogram::lowestEquivalent(size_t index)
{
    if (index < kLinear)
        return index;
    const size_t k = index - kLinear;
    const int e = int(k / kSub) + kLinearBits;
    const uint64_t sub = k % kSub;
    return (kSub + sub) << (e - (kLinearBits - 1));
}

uint64_t Histogram::highestEquivalent(size_t index)
{
    if (index < kLinear)
        return index;
    const int e = int((index - kLinear) / kSub) + kLinearBits;
    return lowestEquivalent(index) + ((uint64_t(1) << (e - (kLinearBits - 1))) - 1);
}

void Histogram::record(uint64_t value)
{
    ++m_counts[indexOf(value)];
    ++m_count;
    m_sum += value;
    if (value < m_min)
        m_min = value;
    if (value > m_max)
        m_max = value;
}

void Histogram::merge(const Histogram &other)
{
    for (size_t i = 0; i < kBuckets; ++i)
        m_counts[i] += other.m_counts[i];
    m_count += other.m_count;
    m_sum += other.m_sum;
    if (other.m_count) {
        if (other.m_min < m_min)
            m_min = other.m_min;
        if (other.m_max > m_max)
            m_max = other.m_max;
    }
}

void Histogram::reset()
{
    std::fill(m_counts.begin(), m_counts.end(), 0);
    m_count = 0;
    m_sum = 0;
    m_min = UINT64_MAX;
    m_max = 0;
}

uint64_t Histogram::percentile(double p) const
{
    if (m_count == 0)
        return 0;
    if (p <= 0)
        return min();
    if (p >= 100)
        return m_max;
    auto rank = uint64_t(std::ceil(p / 100.0 * double(m_count)));
    if (rank < 1)
        rank = 1;
    uint64_t seen = 0;
    for (size_t i = 0; i < kBuckets; ++i) {
        seen += m_counts[i];
        if (seen >= rank) {
            const uint64_t v = highestEquivalent(i);
            return v < m_max ? v : m_max;
        }
    }
    return m_max;
}

} // namespace sanayicin::loadgen
