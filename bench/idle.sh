#!/usr/bin/env bash
# bench/idle.sh: idle authenticated WebSocket connections: how many, what
# each costs the daemon in memory, and whether every keep-alive is answered.
#
#   bench/idle.sh                          19,000 on one instance
#   bench/idle.sh --instances 6 --connections 100000
#                                          100,000 on the machine: 6 daemons
#                                          sharing PostgreSQL and Redis, 6
#                                          generator processes
# One process holds at most ~19,900 sockets here (hard limit of 20,000 open
# files), hence several daemons and generators for more. Each generator
# registers its users over the API (setup), then opens its connections
# (token in the upgrade request), pings once per heartbeat, holds for
# --hold seconds, and closes. The daemons' summed RSS is sampled every 0.25 s:
#   fresh   after the daemons started;
#   before  when the first generator starts connecting (users registered);
#   held    the median while every generator holds all its connections
#           (from 2 s after the last one is open to the first one's end);
#   after   once the connections are closed.
# KB per connection = (held - before) / connections open (with several
# generators their setups overlap others' connecting: then (held - fresh) /
# connections is given too, which also counts the users' sessions).
#
# Usage: bench/idle.sh [options]
#   --connections N     idle connections in total (default 19000)
#   --instances K       daemons (default 1; more use Redis)
#   --generators G      generator processes (default: enough for <= 19,000 each)
#   --hold S            seconds every connection is held (default 60)
#   --heartbeat S       the daemons' --heartbeat (default: theirs, 30 s)
#   --idle-users U      users the connections belong to (default: one each)
#   --concurrency N     handshakes in flight per generator (default 512)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

CONNECTIONS=19000
INSTANCES=1
GENERATORS=
HOLD=60
HEARTBEAT=
IDLE_USERS=
CONCURRENCY=512
while [ $# -gt 0 ]; do
    case $1 in
    --connections) CONNECTIONS=$2; shift 2 ;;
    --instances) INSTANCES=$2; shift 2 ;;
    --generators) GENERATORS=$2; shift 2 ;;
    --hold) HOLD=$2; shift 2 ;;
    --heartbeat) HEARTBEAT=$2; shift 2 ;;
    --idle-users) IDLE_USERS=$2; shift 2 ;;
    --concurrency) CONCURRENCY=$2; shift 2 ;;
    *) bench_unknown_opt "$@"; shift "$BENCH_SHIFT" ;;
    esac
done
GENERATORS=${GENERATORS:-$(((CONNECTIONS + 18999) / 19000))}
per_daemon=$(((CONNECTIONS + INSTANCES - 1) / INSTANCES))
per_gen=$(((CONNECTIONS + GENERATORS - 1) / GENERATORS))
((per_daemon <= 19500)) || { echo "$per_daemon connections per daemon: over the open-file limit; use more --instances" >&2; exit 2; }
((per_gen <= 19500)) || { echo "$per_gen connections per generator: over the open-file limit; use more --generators" >&2; exit 2; }

name=idle
[ "$INSTANCES" -gt 1 ] && name=idle-cluster
bench_begin "$name"
bench_build
bench_start_postgres
bench_create_db sanayicin
REDIS=none
if [ "$INSTANCES" -gt 1 ]; then
    bench_start_redis
    REDIS=$REDIS_URL
fi
section "daemons: $INSTANCES"
extra=()
[ -n "$HEARTBEAT" ] && extra+=(--heartbeat "$HEARTBEAT")
for ((k = 0; k < INSTANCES; k++)); do
    bench_start_daemon "i$k" "$(pg_url sanayicin)" "$REDIS" "${extra[@]}"
done
urls=()
for p in "${DAEMON_PORTS[@]}"; do urls+=(--url "ws://127.0.0.1:$p/ws"); done

sleep 2
bench_rss_sampler "$BENCH_STATE/rss.txt" "${DAEMON_PIDS[@]}"
fresh=$(rss_now "${DAEMON_PIDS[@]}")

# The run of a generator: setup + connecting + HOLD, bounded.
limit=$((HOLD + 900))
cpu_mark
left=$CONNECTIONS
for ((g = 0; g < GENERATORS; g++)); do
    n=$((left < per_gen ? left : per_gen))
    left=$((left - n))
    users=()
    [ -n "$IDLE_USERS" ] && users=(--idle-users $(((IDLE_USERS + GENERATORS - 1) / GENERATORS)))
    section "generator g$g: $n connections"
    bench_start_bg "g$g" "$limit" "$LOADGEN" --threads "$BENCH_LOADGEN_THREADS" "${urls[@]}" \
        --api "http://127.0.0.1:${DAEMON_PORTS[$((g % INSTANCES))]}" \
        --server-pid "${DAEMON_PIDS[$((g % INSTANCES))]}" --source-addresses "$(source_range "$g" 10)" \
        --connections 0 --idle "$n" "${users[@]}" --connect-concurrency "$CONCURRENCY" \
        --duration "$HOLD" --json
done
for ((g = 0; g < GENERATORS; g++)); do bench_wait_bg "g$g"; done
cpu_report generators
sleep 2
after=$(rss_now "${DAEMON_PIDS[@]}")

opened=0 failed=0 pings=0 pongs=0 t_first_connect='' t_all_open=0 t_first_end=''
for ((g = 0; g < GENERATORS; g++)); do
    section "generator g$g"
    bench_loadgen_report "g$g" || continue
    j=$BENCH_STATE/g$g.out
    opened=$((opened + $(jq -r .connections.opened "$j")))
    failed=$((failed + $(jq -r .connections.failed "$j")))
    pings=$((pings + $(jq -r .keepalive.pings "$j")))
    pongs=$((pongs + $(jq -r .keepalive.pongs "$j")))
    summary "g$g: $(jq -r '"\(.connections.opened) open of \(.connections.planned), \(.connections.failed) failed (\(.connections.errors | tostring)), connected at \(.connections.per_second | floor)/s, connect->hello p99 \(.connections.auth_latency_us.p99 / 1000) ms; keep-alive \(.keepalive.pongs)/\(.keepalive.pings) answered, ping->pong p50/p99/max \(.keepalive.rtt_us.p50 / 1000)/\(.keepalive.rtt_us.p99 / 1000)/\(.keepalive.rtt_us.max / 1000) ms; closes \(.closes.by_code | tostring); daemon CPU avg \(.server.cpu_percent_avg // "?") %"' "$j")"
    tc=$(err_time "g$g" '^[0-9.]+ connecting ')
    to=$(err_time "g$g" ' open, [0-9]+ failed in ')
    te=$(err_time "g$g" 'sanayicin-loadgen: ')
    [ -z "$t_first_connect" ] || awk -v a="$tc" -v b="$t_first_connect" 'BEGIN {exit !(a < b)}' && t_first_connect=$tc
    awk -v a="$to" -v b="$t_all_open" 'BEGIN {exit !(a > b)}' && t_all_open=$to
    [ -z "$t_first_end" ] || awk -v a="$te" -v b="$t_first_end" 'BEGIN {exit !(a < b)}' && t_first_end=$te
done
t_held=$(awk -v a="$t_all_open" 'BEGIN {printf "%.3f", a + 2}')
before=$(rss_at "$BENCH_STATE/rss.txt" "$t_first_connect")
held=$(rss_median_between "$BENCH_STATE/rss.txt" "$t_held" "$t_first_end")
[ "$held" -gt 0 ] || held=$(rss_at "$BENCH_STATE/rss.txt" "$t_held")
peak=$(rss_max_between "$BENCH_STATE/rss.txt" "$t_first_connect" "$t_first_end")
overlap=$(awk -v a="$t_held" -v b="$t_first_end" 'BEGIN {printf "%.0f", b - a}')

section "daemons' RSS samples (seconds since the first, KiB summed over $INSTANCES), every 2 s"
awk 'NR == 1 {t0 = $1} NR % 8 == 1 {printf "%7.1f %s\n", $1 - t0, $2}' "$BENCH_STATE/rss.txt" | res
summary "connections: $opened open of $CONNECTIONS, $failed failed, on $INSTANCES instance(s) from $GENERATORS generator(s); all open together for ${overlap} s"
summary "keep-alives: $pongs answered of $pings sent$([ "$pings" -eq "$pongs" ] && echo ' (every one)' || echo " ($((pings - pongs)) NOT ANSWERED)")"
summary "daemon RSS (sum over $INSTANCES): fresh $(fmt "$fresh") KiB, before connecting $(fmt "$before") KiB, all held $(fmt "$held") KiB (median while held; peak during the run $(fmt "$peak")), after closing $(fmt "$after") KiB"
if [ "$opened" -gt 0 ]; then
    summary "RSS per idle authenticated connection: $(div "$(((held - before) * 1024))" "$((opened * 1000))" 2) KB ((held - before) / open; target <= 12 KB); $(div "$(((held - fresh) * 1024))" "$((opened * 1000))" 2) KB counting the users' setup ((held - fresh) / open)"
fi
section "daemon counters"
for p in "${DAEMON_PORTS[@]}"; do daemon_metrics "$p" '^sanayicin_(websocket_connections|websocket_closes|online_users)' | res; done
summary "target: >= 19,000 idle authenticated connections on one instance, >= 100,000 on the machine, every keep-alive answered"
bench_finish
