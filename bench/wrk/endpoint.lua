-- wrk script of bench/http.sh: one endpoint of the HTTP API, paced to a
-- target rate, with the data bench/http-seed.py wrote.
--
-- Environment:
--   BENCH_ENDPOINT  history | history-older | conversations | directory | login
--   BENCH_RATE      requests per second, all threads together
--   BENCH_THREADS   wrk's -t (each thread paces rate / threads)
--   BENCH_SEED      the seed file (OUT.lua of http-seed.py)
--
-- Pacing: each thread hands out send times start + i / rate_per_thread; a
-- connection ready to send takes the next one and waits for it (wrk's
-- delay()). With -c connections the rate holds while a response takes less
-- than connections / rate; beyond, the run falls below the target (the
-- report says so). wrk times each request from when it was written, not
-- from its slot.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]]
local tsbuf = ffi.new("bench_timespec")
local function now()
    ffi.C.clock_gettime(1, tsbuf) -- CLOCK_MONOTONIC
    return tonumber(tsbuf.tv_sec) + tonumber(tsbuf.tv_nsec) * 1e-9
end

local endpoint = os.getenv("BENCH_ENDPOINT") or "history"
local rate = tonumber(os.getenv("BENCH_RATE") or "2000")
local threads = tonumber(os.getenv("BENCH_THREADS") or "1")
local seed = dofile(os.getenv("BENCH_SEED"))

local interval = threads / rate
local next_due = nil
local counter = 0

local auth = { ["Authorization"] = "Bearer " .. seed.token }

function init(args)
    math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 1000)
    counter = math.random(1, 100000)
end

function delay()
    local t = now()
    if next_due == nil then
        next_due = t
    end
    local slot = next_due
    next_due = next_due + interval
    local d = (slot - t) * 1000
    if d < 0 then
        return 0
    end
    return d
end

function request()
    counter = counter + 1
    if endpoint == "history" then
        return wrk.format("GET", "/api/v1/conversations/" .. seed.history_conversation .. "/messages?limit=50", auth)
    elseif endpoint == "history-older" then
        local b = seed.history_before[counter % #seed.history_before + 1]
        return wrk.format("GET", "/api/v1/conversations/" .. seed.history_conversation ..
            "/messages?limit=50&before_id=" .. b, auth)
    elseif endpoint == "conversations" then
        return wrk.format("GET", "/api/v1/conversations", auth)
    elseif endpoint == "directory" then
        local q = seed.queries[counter % #seed.queries + 1]
        return wrk.format("GET", "/api/v1/tradesmen?q=" .. q, auth)
    elseif endpoint == "login" then
        local u = seed.usernames[counter % #seed.usernames + 1]
        return wrk.format("POST", "/api/v1/auth/login", { ["Content-Type"] = "application/json" },
            '{"username":"' .. u .. '","password":"' .. seed.password .. '"}')
    end
    error("unknown BENCH_ENDPOINT " .. endpoint)
end

function done(summary, latency, requests)
    local e = summary.errors
    local secs = summary.duration / 1e6
    io.write(string.format(
        'BENCH_JSON {"endpoint":"%s","target_rate":%d,"requests":%d,"duration_s":%.3f,"rate":%.1f,' ..
        '"bytes":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
        '"latency_us":{"p50":%d,"p90":%d,"p95":%d,"p99":%d,"p999":%d,"max":%d,"mean":%.1f,"stdev":%.1f}}\n',
        endpoint, rate, summary.requests, secs, summary.requests / secs, summary.bytes,
        e.connect, e.read, e.write, e.status, e.timeout,
        latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
        latency:percentile(99.9), latency.max, latency.mean, latency.stdev))
end
