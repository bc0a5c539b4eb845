#pragma once

#include "options.h"

namespace sanayicin::loadgen {

// The whole program after option parsing: setup, connections, the chosen
// mode (run, step or storm), the checks and the report. Returns the exit
// code: 0 done, 1 could not run, 2 (run mode) messages lost, unacknowledged,
// duplicated or out of order.
int runLoadgen(const Options &options);

} // namespace sanayicin::loadgen
