#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace sanayicin::loadgen {

// A log-linear histogram of non-negative integers (microseconds here), in the
// manner of HdrHistogram. Values below 256 are counted exactly; above, every
// power-of-two range [2^e, 2^(e+1)) is split into 128 equal buckets, so a
// reported percentile is at most 1/128 (0.8 %) above the true value. Memory is
// fixed (7,424 counters, about 58 KB) and recording never allocates, so each
// worker thread keeps its own and the results are merged at the end.
class Histogram
{
public:
    static constexpr int kLinearBits = 8;
    static constexpr uint64_t kLinear = uint64_t(1) << kLinearBits;  // exact below this
    static constexpr uint64_t kSub = kLinear / 2;                     // buckets per octave
    static constexpr size_t kBuckets = kLinear + (64 - kLinearBits) * kSub;

    Histogram();

    void record(uint64_t value);
    // Latencies are differences of clock readings; a negative one (a reply
    // seen before its due time cannot happen, but clocks are clocks) counts as 0.
    void recordSigned(int64_t value) { record(value < 0 ? 0 : uint64_t(value)); }
    void merge(const Histogram &other);
    void reset();

    uint64_t count() const { return m_count; }
    uint64_t min() const { return m_count ? m_min : 0; }
    uint64_t max() const { return m_max; }
    double mean() const { return m_count ? double(m_sum) / double(m_count) : 0.0; }
    // The smallest value v such that at least p % of the recorded values are
    // <= v (as far as the bucket width tells), never above max(). p in [0, 100].
    uint64_t percentile(double p) const;

    // Bucket arithmetic, public for the tests.
    static size_t indexOf(uint64_t value);
    static uint64_t lowestEquivalent(size_t index);
    static uint64_t highestEquivalent(size_t index);

private:
    std::vector<uint64_t> m_counts; // allocated once, kBuckets long
    uint64_t m_count = 0;
    uint64_t m_min = UINT64_MAX;
    uint64_t m_max = 0;
    uint64_t m_sum = 0; // wraps only after 584,000 years of microseconds
};

} // namespace sanayicin::loadgen
