#pragma once

#include "histogram.h"

#include <cstdint>
#include <map>
#include <string>

namespace sanayicin::loadgen {

// What one worker counted over a window (the run, or one step); merged over
// workers for the report. Latencies are in microseconds, from the due time.
struct RunStats
{
    Histogram ack;      // due -> ack on the sending connection
    Histogram delivery; // due -> message frame on each other connection
    Histogram sendLag;  // due -> written by the generator (its own lateness)
    Histogram connect;  // connect() -> hello
    Histogram pingRtt;  // ping -> pong (keep-alive answered)

    uint64_t scheduled = 0;   // due times that came up
    uint64_t sent = 0;        // send frames written
    uint64_t skipped = 0;     // due, but no sender connection of this worker was open
    uint64_t acked = 0;       // acks of this run's messages
    uint64_t delivered = 0;   // message frames of this run's messages
    uint64_t expectedDeliveries = 0; // receivers open when the acked messages were sent
    uint64_t foreign = 0;     // acks / messages not from this run
    uint64_t errors = 0;      // error frames
    uint64_t refusedSends = 0; // error frames naming one of our messages
    uint64_t duplicates = 0;
    uint64_t orderViolations = 0;
    uint64_t pings = 0;
    uint64_t pongs = 0;
    uint64_t connectOk = 0;
    uint64_t connectFailed = 0;
    uint64_t closes = 0;      // open connections closed by the server or the network
    uint64_t reconnects = 0;
    uint64_t reconnectFailures = 0; // attempts that failed and were retried
    uint64_t churns = 0;      // --churn: closed on purpose, to open again
    int64_t firstConnectNs = 0; // storm: the first connect() and the last hello
    int64_t lastHelloNs = 0;
    std::map<std::string, uint64_t> errorsByCode;
    std::map<int, uint64_t> closesByCode;
    std::map<std::string, uint64_t> connectErrors;

    void merge(const RunStats &o);
    void reset() { *this = RunStats(); }
};

} // namespace sanayicin::loadgen
