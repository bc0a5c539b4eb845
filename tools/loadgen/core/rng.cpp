#include "rng.h"

#include <sys/random.h>

#include "clock.h"

namespace sanayicin::loadgen {

uint64_t randomSeed()
{
    uint64_t v = 0;
    if (getrandom(&v, sizeof v, 0) != sizeof v)
        v = uint64_t(monoNs()) * 0x9E3779B97F4A7C15ull; // no entropy source: still varies
    return v;
}

} // namespace sanayicin::loadgen
