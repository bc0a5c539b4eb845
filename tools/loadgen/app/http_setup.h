#pragma once

#include "layout.h"
#include "options.h"

#include <string>

namespace sanayicin::loadgen {

struct SetupResult
{
    bool ok = false;
    std::string error;
    double seconds = 0;
    uint64_t requests = 0;
    uint64_t rateLimited = 0; // 429 answers, waited out and retried
    uint64_t retries = 0;     // requests sent again after a lost connection
};

// Registers every account of the layout (filling id and token) and creates
// the conversation of every pair, over the API with keep-alive HTTP/1.1
// connections spread over the source addresses, many requests in flight.
SetupResult runSetup(const Options &o, Layout &layout);

} // namespace sanayicin::loadgen
