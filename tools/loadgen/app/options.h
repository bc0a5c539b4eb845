#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sanayicin::loadgen {

// --step START,xFACTOR|+INCREMENT,P99_MS[,MAX_RATE]
struct StepPlan
{
    bool enabled = false;
    double start = 1000;
    double factor = 0;    // > 1: multiply the rate each step
    double increment = 0; // > 0: add to the rate each step
    double p99Ms = 100;   // stop when send->delivery p99 passes this
    double maxRate = 0;   // 0: no limit
};

struct Options
{
    std::vector<std::string> urls;      // ws://HOST:PORT/ws, repeatable
    std::string api;                    // http://HOST:PORT of the API; default from urls[0]
    std::vector<uint32_t> sources;      // local addresses to bind
    int connections = 20;               // busy connections
    int users = 0;                      // busy users; 0: one per connection
    int sendersPerUser = 1;             // connections of a user that send
    bool ring = false;                  // each user also in a conversation with the next pair
    int idle = 0;                       // extra idle connections (keep-alive only)
    int idleUsers = 0;                  // users they belong to; 0: one each
    double rate = 100;                  // messages/s, aggregate
    double duration = 10;               // seconds of measurement
    double warmup = 0;                  // seconds sent before measuring
    double grace = 5;                   // seconds to wait for acks and deliveries
    int threads = 2;                    // worker threads
    int bodySize = 32;                  // bytes of each message body
    int sendBatchUs = 200;              // least time between timer wake-ups for sending
    StepPlan step;
    int storm = 0;                      // > 0: connection-storm mode, this many
    double hold = 0;                    // storm: seconds to keep them open
    int connectConcurrency = 0;         // handshakes in flight; 0: mode default
    double connectTimeout = 30;         // seconds for one connection to reach hello
    int heartbeat = 0;                  // seconds between pings; 0: the server's heartbeat_s
    bool authFrame = false;             // authenticate with an auth frame, not the header
    bool noSetup = false;               // echo server: ids from indices, token = id
    int setupConcurrency = 64;          // HTTP requests in flight during setup
    std::string userPrefix;             // usernames <prefix>_<n>; default random
    std::string password = "loadgen-password";
    int64_t serverPid = 0;
    bool json = false;
    bool reconnect = false;             // reconnect after close 1001 / 1006
    double churn = 0;                   // > 0: close each connection (1000) after ~S s, open it again
    bool verify = true;                 // keep acks for the never-delivered check
    bool quiet = false;                 // no progress lines on stderr
    std::string history;                // --history FILE: the operation history
};

// Fills `out` from the command line. False with `error` set on a bad option;
// with error == "help" when --help was asked.
bool parseOptions(int argc, char **argv, Options &out, std::string &error);
std::string usage();

} // namespace sanayicin::loadgen
