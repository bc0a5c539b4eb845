#!/usr/bin/env bash
# bench/cluster.sh: three instances with Redis against one instance, the
# same step mode as throughput.sh, in the same run on the same cores.
#
#   1. one instance alone (no Redis: in-process delivery), database "single";
#   2. --instances instances sharing PostgreSQL (database "cluster") and
#      Redis, nothing in front: the generator deals connections round-robin
#      over their --url's, so the two users of a conversation are mostly on
#      different instances and nearly every delivery crosses Redis.
# Each phase starts on a fresh database and its daemons are stopped after
# it. Reported: the highest passing rate of each, and their ratio (target:
# the cluster within 30 % of one instance, i.e. ratio >= 0.70), with the
# committed-rows check of throughput.sh for both.
#
# Usage: bench/cluster.sh [options]
#   --instances K       instances in the cluster phase (default 3)
#   --connections N     busy connections, in pairs (default 2000)
#   --step SPEC         loadgen --step (default 10000,+5000,100,80000)
#   --warmup S          per step (default 2)   --duration S (default 10)
#   --grace S           drain per step (default 5)
#   --instance-threads N  --threads of each cluster instance (default: the
#                       daemon's); the single instance keeps --daemon-threads
#   --pgbouncer         daemons reach PostgreSQL through pgBouncer (both phases)
#   --single-redis      the single instance also uses Redis
#   --cluster-first     run the cluster phase first
set -euo pipefail
source "$(dirname "$0")/lib.sh"

INSTANCES=3
CONNECTIONS=2000
STEP=10000,+5000,100,80000
WARMUP=2
DURATION=10
GRACE=5
ITHREADS=
USE_PGB=0
SINGLE_REDIS=0
ORDER="single cluster"
while [ $# -gt 0 ]; do
    case $1 in
    --instances) INSTANCES=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --step) STEP=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --grace) GRACE=$2; shift 2 ;;
    --instance-threads) ITHREADS=$2; shift 2 ;;
    --pgbouncer) USE_PGB=1; shift ;;
    --single-redis) SINGLE_REDIS=1; shift ;;
    --cluster-first) ORDER="cluster single"; shift ;;
    *) bench_unknown_opt "$@"; shift "$BENCH_SHIFT" ;;
    esac
done

bench_begin cluster
bench_build
bench_start_postgres
bench_create_db single
bench_create_db cluster
bench_start_redis
PGB=$PG_PORT
if [ "$USE_PGB" -eq 1 ]; then
    bench_start_pgbouncer single cluster
    PGB=$PGB_PORT
fi

declare -A BEST
for phase in $ORDER; do
    section "phase: $phase"
    urls=()
    if [ "$phase" = single ]; then
        r=none
        [ "$SINGLE_REDIS" -eq 1 ] && r=$REDIS_URL
        bench_start_daemon single "$(pg_url single "$PGB")" "$r"
    else
        t=()
        [ -n "$ITHREADS" ] && t=(--threads "$ITHREADS")
        for ((k = 0; k < INSTANCES; k++)); do
            bench_start_daemon "c$k" "$(pg_url cluster "$PGB")" "$REDIS_URL" "${t[@]}"
        done
    fi
    for p in "${DAEMON_PORTS[@]}"; do urls+=(--url "ws://127.0.0.1:$p/ws"); done
    before=$(db_message_count "$phase")
    bench_loadgen "$phase" 3600 "${urls[@]}" --server-pid "${DAEMON_PIDS[0]}" \
        --source-addresses "$(source_range 0 20)" --connections "$CONNECTIONS" \
        --step "$STEP" --warmup "$WARMUP" --duration "$DURATION" --grace "$GRACE"
    after=$(db_message_count "$phase")
    step_summary "$phase"
    BEST[$phase]=$LG_BEST
    acked=$(jq -r .acked "$LG_JSON")
    rows=$((after - before))
    if [ "$rows" -lt "$acked" ]; then
        summary "$phase: LOST: $acked acknowledged but only $rows rows added to messages"
    else
        summary "$phase: committed: $rows rows for $acked acknowledged"
    fi
    section "phase $phase: daemon counters"
    for p in "${DAEMON_PORTS[@]}"; do
        res "-- 127.0.0.1:$p"
        daemon_metrics "$p" | res
    done
    res "daemons' RSS: $(for p in "${DAEMON_PIDS[@]}"; do printf '%s ' "$(rss_now "$p")"; done)KiB"
    bench_stop_daemons
done
ratio=$(div "${BEST[cluster]}" "${BEST[single]}" 2)
summary "one instance: $(fmt "${BEST[single]}") msg/s; $INSTANCES instances with Redis: $(fmt "${BEST[cluster]}") msg/s; ratio $ratio (target >= 0.70)"
bench_finish
