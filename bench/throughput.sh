#!/usr/bin/env bash
# bench/throughput.sh: messages per second on one sanayicind instance, each
# committed to PostgreSQL (production durability) and delivered.
#
# Three runs make the targets (run-all.sh does all three):
#   bench/throughput.sh                     step mode: the highest rate with
#                                           send->delivery p99 < 100 ms
#   bench/throughput.sh --idle 10000        the same with 10,000 idle
#                                           authenticated connections beside
#   bench/throughput.sh --fixed 1000 --connections 10000
#                                           a fixed 1,000 msg/s over 10,000
#                                           connections (p99 < 10 ms target)
# After each run the rows in messages are counted and compared with what the
# generator saw acknowledged (an acked message missing from the table is
# lost), and the daemon's message counters are recorded.
#
# Usage: bench/throughput.sh [options]
#   --connections N   busy connections, in pairs of users (default 2000)
#   --idle N          idle authenticated connections beside them (default 0)
#   --step SPEC       loadgen --step START,xF|+I,P99MS[,MAX]
#                     (default 10000,+5000,100,80000)
#   --fixed RATE      a fixed-rate run at RATE msg/s instead of step mode
#   --warmup S        seconds before measuring (default 2 per step; 5 fixed)
#   --duration S      seconds measured (default 10 per step; 60 fixed)
#   --grace S         drain after sending (default 5)
#   --body-size N     bytes per message (default 32)
#   --pgbouncer       the daemon reaches PostgreSQL through pgBouncer
#   --redis           the daemon uses Redis (the cross-instance bridge)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

CONNECTIONS=2000
IDLE=0
STEP=10000,+5000,100,80000
FIXED=
WARMUP=
DURATION=
GRACE=5
BODY=32
USE_PGB=0
USE_REDIS=0
while [ $# -gt 0 ]; do
    case $1 in
    --connections) CONNECTIONS=$2; shift 2 ;;
    --idle) IDLE=$2; shift 2 ;;
    --step) STEP=$2; shift 2 ;;
    --fixed) FIXED=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --grace) GRACE=$2; shift 2 ;;
    --body-size) BODY=$2; shift 2 ;;
    --pgbouncer) USE_PGB=1; shift ;;
    --redis) USE_REDIS=1; shift ;;
    *) bench_unknown_opt "$@"; shift "$BENCH_SHIFT" ;;
    esac
done

name=throughput
[ "$IDLE" -gt 0 ] && name+=-idle
[ -n "$FIXED" ] && name+=-fixed
bench_begin "$name"
bench_build
bench_start_postgres
bench_create_db sanayicin
DB_URL=$(pg_url sanayicin)
if [ "$USE_PGB" -eq 1 ]; then
    bench_start_pgbouncer sanayicin
    DB_URL=$(pg_url sanayicin "$PGB_PORT")
fi
REDIS=none
if [ "$USE_REDIS" -eq 1 ]; then
    bench_start_redis
    REDIS=$REDIS_URL
fi
section "daemon"
bench_start_daemon one "$DB_URL" "$REDIS"
URL=ws://127.0.0.1:$DAEMON_PORT/ws

args=(--url "$URL" --server-pid "$DAEMON_PID" --source-addresses "$(source_range 0 20)"
    --connections "$CONNECTIONS" --body-size "$BODY" --grace "$GRACE")
[ "$IDLE" -gt 0 ] && args+=(--idle "$IDLE")
if [ -n "$FIXED" ]; then
    args+=(--rate "$FIXED" --warmup "${WARMUP:-5}" --duration "${DURATION:-60}")
    limit=$((${WARMUP:-5} + ${DURATION:-60} + GRACE + 600))
else
    args+=(--step "$STEP" --warmup "${WARMUP:-2}" --duration "${DURATION:-10}")
    limit=3600
fi

before=$(db_message_count)
bench_loadgen run "$limit" "${args[@]}"
after=$(db_message_count)

if [ -n "$FIXED" ]; then
    run_summary run
else
    step_summary run
fi
acked=$(jq -r .acked "$LG_JSON")
sent=$(jq -r .sent "$LG_JSON")
rows=$((after - before))
if [ "$rows" -lt "$acked" ]; then
    summary "LOST: the generator saw $acked messages acknowledged but only $rows rows were added to messages"
else
    summary "committed: $rows rows added to messages for $acked acknowledged ($sent sent): none acknowledged is missing"
fi
section "daemon counters after the run"
daemon_metrics "$DAEMON_PORT" | res
res "daemon RSS now: $(rss_now "$DAEMON_PID") KiB"
if [ -n "$FIXED" ]; then
    p99=$(jq -r '.latency_us.delivery.p99 / 1000' "$LG_JSON")
    summary "fixed $FIXED msg/s over $CONNECTIONS connections (+$IDLE idle): send->delivery p99 $p99 ms (target < 10 ms at 1,000 msg/s with 10,000 connections)"
else
    summary "highest rate with p99 under the --step criterion ($STEP) over $CONNECTIONS connections (+$IDLE idle): $(fmt "$LG_BEST") msg/s (targets: >= 20,000; with 10,000 idle >= 80 % of it)"
fi
bench_finish
