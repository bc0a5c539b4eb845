#!/usr/bin/env bash
# bench/transport-limit.sh: what the generator can drive on this machine
# against tools/echo-server (the protocol with no storage): the transport
# limit beside which the daemon's figures are read. Two parts:
#   1. step mode, the same layout and criterion as throughput.sh (pairs of
#      users, every message one send, one ack, one delivery);
#   2. a storm of authenticated connections (connect, upgrade, hello, ping),
#      the limit beside storm.sh.
#
# Usage: bench/transport-limit.sh [options]
#   --connections N       busy connections, in pairs (default 2000)
#   --step SPEC           loadgen --step START,xF|+I,P99MS[,MAX]
#                         (default 10000,+5000,100,80000)
#   --warmup S            seconds per step before measuring (default 2)
#   --duration S          seconds measured per step (default 10)
#   --grace S             drain per step (default 5)
#   --echo-threads N      echo server threads (default 2, like the daemon)
#   --storm N             connections in the storm (default 15000; 0: none)
#   --storm-concurrency N handshakes in flight (default 1000)
#   --no-step             only the storm
set -euo pipefail
source "$(dirname "$0")/lib.sh"

CONNECTIONS=2000
STEP=10000,+5000,100,80000
WARMUP=2
DURATION=10
GRACE=5
ECHO_THREADS=2
STORM=15000
STORM_CONCURRENCY=1000
DO_STEP=1
while [ $# -gt 0 ]; do
    case $1 in
    --connections) CONNECTIONS=$2; shift 2 ;;
    --step) STEP=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --grace) GRACE=$2; shift 2 ;;
    --echo-threads) ECHO_THREADS=$2; shift 2 ;;
    --storm) STORM=$2; shift 2 ;;
    --storm-concurrency) STORM_CONCURRENCY=$2; shift 2 ;;
    --no-step) DO_STEP=0; shift ;;
    *) bench_unknown_opt "$@"; shift "$BENCH_SHIFT" ;;
    esac
done

bench_begin transport-limit
bench_build
bench_start_echo "$ECHO_THREADS"
URL=ws://127.0.0.1:$ECHO_PORT/ws

if [ "$DO_STEP" -eq 1 ]; then
    # Each step at most warmup + duration + grace (+ connecting); bound the
    # whole at 20 steps' worth.
    bench_loadgen step 1800 --url "$URL" --no-setup --server-pid "$ECHO_PID" \
        --source-addresses "$(source_range 0)" --connections "$CONNECTIONS" \
        --step "$STEP" --warmup "$WARMUP" --duration "$DURATION" --grace "$GRACE"
    step_summary step
    summary "transport limit (step, p99 criterion of --step $STEP): $(fmt "$LG_BEST") msg/s"
fi

if [ "$STORM" -gt 0 ]; then
    bench_loadgen storm 600 --url "$URL" --no-setup --server-pid "$ECHO_PID" \
        --source-addresses "$(source_range 1)" --storm "$STORM" \
        --connect-concurrency "$STORM_CONCURRENCY"
    storm_summary storm
    summary "transport limit (storm): $(fmt "$(jq -r .connections.per_second "$LG_JSON")") connections/s"
fi

bench_finish
