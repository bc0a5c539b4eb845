#!/usr/bin/env bash
# bench/storm.sh: new authenticated connections per second on one instance.
# The generator registers --users users over the API (not timed), then opens
# --connections WebSockets as fast as it can, at most --concurrency handshakes
# in flight: TCP connect, upgrade with the token in the header, hello, first
# ping. Reported: connections/s and connect->hello latency, failures, the
# daemon's CPU and RSS. With --generators G, G processes storm at once (each
# its own source addresses and users; the doc's ceiling of one generator is
# 6,000-10,000/s on this machine): the rate on the machine is all connections
# over the span from the first generator starting to connect to the last one
# done (they start within the setup's spread, so this is a floor), beside
# the sum of their own rates. Compare with transport-limit.sh's storm.
#
# Usage: bench/storm.sh [options]
#   --connections N   connections in the storm (default 15000, <= 19,500)
#   --users U         users they belong to (default 1000)
#   --generators G    generator processes (default 1)
#   --concurrency N   handshakes in flight per generator (default 1000)
#   --hold S          keep them open S seconds afterwards (default 0)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

CONNECTIONS=15000
USERS=1000
GENERATORS=1
CONCURRENCY=1000
HOLD=0
while [ $# -gt 0 ]; do
    case $1 in
    --connections) CONNECTIONS=$2; shift 2 ;;
    --users) USERS=$2; shift 2 ;;
    --generators) GENERATORS=$2; shift 2 ;;
    --concurrency) CONCURRENCY=$2; shift 2 ;;
    --hold) HOLD=$2; shift 2 ;;
    *) bench_unknown_opt "$@"; shift "$BENCH_SHIFT" ;;
    esac
done
((CONNECTIONS <= 19500)) || { echo "one daemon holds at most ~19,500 connections here" >&2; exit 2; }

bench_begin storm
bench_build
bench_start_postgres
bench_create_db sanayicin
section "daemon"
bench_start_daemon one "$(pg_url sanayicin)" none
URL=ws://127.0.0.1:$DAEMON_PORT/ws
sleep 1
rss0=$(rss_now "$DAEMON_PID")

per_gen=$(((CONNECTIONS + GENERATORS - 1) / GENERATORS))
cpu_mark
left=$CONNECTIONS
for ((g = 0; g < GENERATORS; g++)); do
    n=$((left < per_gen ? left : per_gen))
    left=$((left - n))
    section "generator g$g: storm of $n"
    bench_start_bg "g$g" 900 "$LOADGEN" --threads "$BENCH_LOADGEN_THREADS" --url "$URL" \
        --server-pid "$DAEMON_PID" --source-addresses "$(source_range "$g" 10)" \
        --storm "$n" --users $(((USERS + GENERATORS - 1) / GENERATORS)) \
        --connect-concurrency "$CONCURRENCY" --hold "$HOLD" --json
done
for ((g = 0; g < GENERATORS; g++)); do bench_wait_bg "g$g"; done
cpu_report "storm (with setup and hold)"
rss1=$(rss_now "$DAEMON_PID")

opened=0 failed=0 sum_rate=0 t_start='' t_end=0
for ((g = 0; g < GENERATORS; g++)); do
    section "generator g$g"
    bench_loadgen_report "g$g" || continue
    storm_summary "g$g"
    j=$BENCH_STATE/g$g.out
    opened=$((opened + $(jq -r .connections.opened "$j")))
    failed=$((failed + $(jq -r .connections.failed "$j")))
    sum_rate=$(awk -v a="$sum_rate" -v b="$(jq -r .connections.per_second "$j")" 'BEGIN {print a + b}')
    ts=$(err_time "g$g" '^[0-9.]+ connecting ')
    te=$(err_time "g$g" ' open, [0-9]+ failed in ')
    [ -z "$t_start" ] || awk -v a="$ts" -v b="$t_start" 'BEGIN {exit !(a < b)}' && t_start=$ts
    awk -v a="$te" -v b="$t_end" 'BEGIN {exit !(a > b)}' && t_end=$te
    summary "g$g: daemon CPU during the storm $(jq -r '.server.cpu_percent_avg // "?"' "$j") % (avg), generator $(jq -r '.generator.cpu_percent_avg // "?"' "$j") %"
done
span=$(awk -v a="$t_start" -v b="$t_end" 'BEGIN {printf "%.3f", b - a}')
section "daemon counters"
daemon_metrics "$DAEMON_PORT" '^sanayicin_(websocket_connections|websocket_closes|online_users)' | res
summary "storm: $opened of $CONNECTIONS opened, $failed failed, $GENERATORS generator(s); $(fmt "$(div "$opened" "$span" 0)") connections/s over the machine (first connect to last hello: $span s), sum of the generators' own rates $(fmt "$sum_rate")/s (target >= 10,000/s)"
summary "daemon RSS before $(fmt "$rss0") KiB, after the storm $(fmt "$rss1") KiB"
bench_finish
