#pragma once

#include "delivery_check.h"
#include "http_setup.h"
#include "options.h"
#include "proc_sampler.h"
#include "run_stats.h"

#include <string>
#include <vector>

namespace sanayicin::loadgen {

struct StepResult
{
    double rate = 0;
    double seconds = 0; // sending time of the step
    RunStats stats;
    ProcSampler::Summary server;
    ProcSampler::Summary client;
    bool passed = false;
    std::string verdict; // why it stopped, or "ok"
};

// Everything a run found, for the text and JSON printers.
struct Report
{
    std::string mode; // run, step, storm
    const Options *options = nullptr;
    bool setupRan = false;
    SetupResult setup;
    uint64_t users = 0;
    uint64_t conversations = 0;
    uint64_t connectionsPlanned = 0;
    uint64_t busyConnections = 0;
    uint64_t idleConnections = 0;
    uint64_t senders = 0;
    double connectSeconds = 0; // first connect() to last hello
    RunStats connectStats;     // the opening phase
    RunStats total;            // the whole run (run mode), or every step together
    double sendSeconds = 0;
    bool checked = false;
    CheckResult check;
    uint64_t unacked = 0;
    bool drained = false;      // everything acked and delivered before the grace ran out
    double drainSeconds = 0;
    ProcSampler::Summary server; // the run; in a storm, the storm itself
    ProcSampler::Summary client;
    ProcSampler::Summary holdServer; // storm --hold: while the connections sit open
    ProcSampler::Summary holdClient;
    std::vector<StepResult> steps;
    double maxPassingRate = 0;
    std::string error;
};

std::string reportJson(const Report &r);
std::string reportText(const Report &r);

} // namespace sanayicin::loadgen
