#pragma once

// ServerMetrics moved to server/metrics/ (a module the lower layers may use;
// the daemon registers and exports it). This name stays for the upper
// layers' includes.
#include "metrics/server_metrics.h"
