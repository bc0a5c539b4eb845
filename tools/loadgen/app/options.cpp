#include "options.h"

#include "net.h"

#include <cstdlib>
#include <cstring>
#include <string_view>

namespace sanayicin::loadgen {

namespace {

bool toDouble(const char *s, double &out)
{
    char *end = nullptr;
    out = std::strtod(s, &end);
    return end && *end == '\0' && end != s;
}

bool toInt(const char *s, int64_t &out)
{
    char *end = nullptr;
    out = std::strtoll(s, &end, 10);
    return end && *end == '\0' && end != s;
}

bool parseStep(std::string_view spec, StepPlan &out, std::string &error)
{
    std::vector<std::string> parts;
    while (!spec.empty()) {
        const size_t comma = spec.find(',');
        parts.emplace_back(spec.substr(0, comma));
        spec = comma == std::string_view::npos ? std::string_view() : spec.substr(comma + 1);
    }
    if (parts.size() < 3 || parts.size() > 4) {
        error = "--step START,xFACTOR|+INCREMENT,P99_MS[,MAX_RATE]";
        return false;
    }
    out.enabled = true;
    bool ok = toDouble(parts[0].c_str(), out.start) && out.start > 0;
    const std::string &grow = parts[1];
    if (ok && grow.size() > 1 && (grow[0] == 'x' || grow[0] == '*'))
        ok = toDouble(grow.c_str() + 1, out.factor) && out.factor > 1;
    else if (ok && grow.size() > 1 && grow[0] == '+')
        ok = toDouble(grow.c_str() + 1, out.increment) && out.increment > 0;
    else
        ok = false;
    ok = ok && toDouble(parts[2].c_str(), out.p99Ms) && out.p99Ms > 0;
    if (ok && parts.size() == 4)
        ok = toDouble(parts[3].c_str(), out.maxRate) && out.maxRate > 0;
    if (!ok)
        error = "--step START,xFACTOR|+INCREMENT,P99_MS[,MAX_RATE], e.g. 5000,x1.5,100";
    return ok;
}

} // namespace

std::string usage()
{
    return R"(sanayicin-loadgen: load for sanayicind over its WebSocket protocol.

Layout and targets:
  --url ws://HOST:PORT/ws   a daemon (repeatable: connections go round-robin)
  --api http://HOST:PORT    where to register users (default: the first --url)
  --source-addresses LIST   local addresses to bind, e.g. 127.0.0.2-127.0.0.50
                            (each has its own ~28,000 ephemeral ports)
  --connections N           busy connections (default 20)
  --users N                 busy users, in pairs sharing one conversation
                            (default: one per connection; connections go to
                            users round-robin, so N < connections gives users
                            several connections)
  --pairs N                 the same as --users 2N
  --senders-per-user N      connections of each user that send (default 1);
                            the others only receive
  --ring                    a second conversation per user: user 2p+1 also
                            with user 2p+2 (the last with user 0), so every
                            user is in two conversations and sends to each in
                            turn (needs at least 2 pairs and the setup; for
                            the checker's ids-never-go-backwards across
                            conversations)
  --idle N                  extra authenticated connections that only ping
  --idle-users N            users the idle connections belong to (default: one each)
  --threads N               worker threads, each with its own epoll loop (default 2)

Traffic (open loop: latency counts from when a message was due):
  --rate R                  messages per second, all senders together (default 100)
  --duration S              seconds measured (default 10)
  --warmup S                seconds sent before measuring (default 0)
  --grace S                 seconds to wait for acks and deliveries after
                            sending stops (default 5)
  --body-size N             bytes per message body (default 32)
  --send-batch-us N         wake for due messages at most every N µs and send
                            what is due together (default 200; 0: at each due
                            time); latency still counts from each due time
  --step START,xF|+I,P99MS[,MAX]
                            raise the rate step by step (each step: warmup,
                            duration, drain) until send->delivery p99 passes
                            P99MS or deliveries fall behind
  --storm N                 connection storm: open N authenticated connections
                            as fast as possible; report connections/s and
                            auth latency (--hold S keeps them open S seconds)
  --connect-concurrency N   handshakes in flight at once (default 512; storm 2000)
  --connect-timeout S       per connection, until hello (default 30)
  --heartbeat S             ping period (default: the server's heartbeat_s)
  --auth-frame              authenticate with an auth frame instead of the header
  --reconnect               reconnect after close 1001 (and lost connections),
                            each time to the next --url,
                            and sync; counted in the report; a connection
                            silent for 3 heartbeats (pings unanswered) is
                            dropped and reconnected
  --churn S                 clients come and go: each connection closes
                            cleanly (1000) after a random lifetime of 0.5 S to
                            1.5 S (its sends answered first, 5 s at most),
                            opens again for the same user at the next --url,
                            hello and sync from its cursor; in the history a
                            close with "churn":true, then an open with re

Setup:
  --no-setup                no HTTP: user i has id i+1 and token "i+1";
                            conversation c has users 2c-1, 2c (the echo server)
  --setup-concurrency N     HTTP requests in flight (default 64)
  --user-prefix P           usernames P_<n> (default: lg + random)
  --password P              password of the created users

Output:
  --server-pid PID          sample /proc/PID: RSS and CPU over the run
  --json                    the result as JSON on stdout
  --no-verify               do not keep acks for the never-delivered check
  --history FILE            every operation as a JSON line (send, ack, error,
                            message, sync, synced, open, lost) for
                            history-check; implies --reconnect, and after the
                            drain every connection syncs from its cursor
  --quiet                   no progress on stderr
)";
}

bool parseOptions(int argc, char **argv, Options &o, std::string &error)
{
    std::vector<std::string> urls;
    int pairs = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        auto value = [&](const char *&v) {
            if (i + 1 >= argc) {
                error = std::string(a) + " needs a value";
                return false;
            }
            v = argv[++i];
            return true;
        };
        auto integer = [&](auto &target, int64_t min, int64_t max) {
            const char *v = nullptr;
            int64_t n = 0;
            if (!value(v))
                return false;
            if (!toInt(v, n) || n < min || n > max) {
                error = std::string(a) + ": expected an integer from " + std::to_string(min) + " to "
                        + std::to_string(max);
                return false;
            }
            target = decltype(target + 0)(n);
            return true;
        };
        auto real = [&](double &target, double min) {
            const char *v = nullptr;
            if (!value(v))
                return false;
            if (!toDouble(v, target) || target < min) {
                error = std::string(a) + ": expected a number >= " + std::to_string(min);
                return false;
            }
            return true;
        };
        const char *v = nullptr;
        bool ok = true;
        if (a == "--help" || a == "-h") {
            error = "help";
            return false;
        } else if (a == "--url") {
            ok = value(v);
            if (ok)
                urls.emplace_back(v);
        } else if (a == "--api") {
            ok = value(v);
            if (ok)
                o.api = v;
        } else if (a == "--source-addresses") {
            ok = value(v) && parseAddressList(v, o.sources, error);
        } else if (a == "--connections") {
            ok = integer(o.connections, 0, 1000000);
        } else if (a == "--users") {
            ok = integer(o.users, 0, 10000000);
        } else if (a == "--pairs") {
            ok = integer(pairs, 1, 5000000);
        } else if (a == "--senders-per-user") {
            ok = integer(o.sendersPerUser, 0, 1000);
        } else if (a == "--ring") {
            o.ring = true;
        } else if (a == "--idle") {
            ok = integer(o.idle, 0, 1000000);
        } else if (a == "--idle-users") {
            ok = integer(o.idleUsers, 0, 10000000);
        } else if (a == "--threads") {
            ok = integer(o.threads, 1, 64);
        } else if (a == "--rate") {
            ok = real(o.rate, 0);
        } else if (a == "--duration") {
            ok = real(o.duration, 0);
        } else if (a == "--warmup") {
            ok = real(o.warmup, 0);
        } else if (a == "--grace") {
            ok = real(o.grace, 0);
        } else if (a == "--body-size") {
            ok = integer(o.bodySize, 1, 4000);
        } else if (a == "--send-batch-us") {
            ok = integer(o.sendBatchUs, 0, 1000000);
        } else if (a == "--step") {
            ok = value(v) && parseStep(v, o.step, error);
        } else if (a == "--storm") {
            ok = integer(o.storm, 1, 1000000);
        } else if (a == "--hold") {
            ok = real(o.hold, 0);
        } else if (a == "--connect-concurrency") {
            ok = integer(o.connectConcurrency, 1, 1000000);
        } else if (a == "--connect-timeout") {
            ok = real(o.connectTimeout, 0.1);
        } else if (a == "--heartbeat") {
            ok = integer(o.heartbeat, 1, 3600);
        } else if (a == "--auth-frame") {
            o.authFrame = true;
        } else if (a == "--reconnect") {
            o.reconnect = true;
        } else if (a == "--churn") {
            ok = real(o.churn, 0.1);
        } else if (a == "--no-setup") {
            o.noSetup = true;
        } else if (a == "--setup-concurrency") {
            ok = integer(o.setupConcurrency, 1, 4096);
        } else if (a == "--user-prefix") {
            ok = value(v);
            if (ok)
                o.userPrefix = v;
        } else if (a == "--password") {
            ok = value(v);
            if (ok)
                o.password = v;
        } else if (a == "--server-pid") {
            ok = integer(o.serverPid, 1, INT32_MAX);
        } else if (a == "--json") {
            o.json = true;
        } else if (a == "--no-verify") {
            o.verify = false;
        } else if (a == "--history") {
            ok = value(v) && *v != '\0';
            if (ok) {
                o.history = v;
                o.reconnect = true;
            }
        } else if (a == "--quiet") {
            o.quiet = true;
        } else {
            error = "unknown option " + std::string(a) + " (see --help)";
            return false;
        }
        if (!ok)
            return false;
    }
    if (urls.empty()) {
        error = "--url is required (see --help)";
        return false;
    }
    o.urls = std::move(urls);
    if (pairs)
        o.users = pairs * 2;
    if (o.storm == 0 && o.users == 0)
        o.users = o.connections - o.connections % 2;
    if (o.storm == 0 && o.connections > 0) {
        if (o.users < 2 || o.users % 2) {
            error = "busy users come in pairs: --users must be even and at least 2";
            return false;
        }
        if (o.users > o.connections) {
            error = "--users is larger than --connections: every user needs a connection";
            return false;
        }
    }
    if (o.ring && (o.storm > 0 || o.noSetup || o.users < 4)) {
        error = "--ring needs at least 2 pairs of busy users and the setup (not --storm, not --no-setup)";
        return false;
    }
    if (o.idle > 0 && o.idleUsers == 0)
        o.idleUsers = o.idle;
    if (o.connectConcurrency == 0)
        o.connectConcurrency = o.storm > 0 ? 2000 : 512;
    if (o.userPrefix.size() > 20) {
        error = "--user-prefix: at most 20 characters";
        return false;
    }
    return true;
}

} // namespace sanayicin::loadgen
