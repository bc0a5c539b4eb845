#pragma once

#include <cstdint>

namespace sanayicin::loadgen {

// xorshift64*: masking keys, WebSocket keys and jitter need speed and spread,
// not secrecy (RFC 6455 wants mask keys unpredictable to scripts, which a
// load generator has none of).
class Rng
{
public:
    explicit Rng(uint64_t seed) : m_state(seed ? seed : 0x9E3779B97F4A7C15ull) {}
    uint64_t next()
    {
        m_state ^= m_state >> 12;
        m_state ^= m_state << 25;
        m_state ^= m_state >> 27;
        return m_state * 0x2545F4914F6CDD1Dull;
    }
    uint32_t next32() { return uint32_t(next() >> 32); }
    // Uniform in [0, bound).
    uint64_t below(uint64_t bound) { return bound ? next() % bound : 0; }

private:
    uint64_t m_state;
};

// A seed that differs between processes and runs.
uint64_t randomSeed();

} // namespace sanayicin::loadgen
