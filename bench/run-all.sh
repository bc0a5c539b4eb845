#!/usr/bin/env bash
# bench/run-all.sh: every scenario in order, each with its own result file in
# bench/results/, then bench/results/run-all-<UTC timestamp>.txt with the
# SUMMARY section of each. A failing scenario is recorded and the next runs.
#
#   transport-limit    generator vs echo server: step mode and storm
#   persistence-limit  raw batched inserts into the same PostgreSQL
#   throughput         one instance, step mode (p99 < 100 ms)
#   throughput-idle    the same with 10,000 idle connections beside
#   throughput-fixed   1,000 msg/s over 10,000 connections (p99 < 10 ms)
#   idle               19,000 idle connections on one instance
#   idle-cluster       100,000 on the machine (6 instances, Redis)
#   storm              new authenticated connections per second
#   http               history, conversation list, directory, login with wrk
#   cluster            3 instances with Redis vs 1 instance
#
# Usage: bench/run-all.sh [--quick] [--only LIST] [--skip LIST] [--rebuild]
#   --quick        small sizes and seconds-long runs (checks that everything
#                  works end to end; the figures mean nothing)
#   --only LIST    comma-separated scenario names from the list above
#   --skip LIST    the same, to leave out
#   --rebuild      rebuild the Release binaries first (incremental)
set -uo pipefail
SELF=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
cd "$(dirname "$0")" || exit 1

QUICK=0
ONLY=
SKIP=
REBUILD=()
while [ $# -gt 0 ]; do
    case $1 in
    --quick) QUICK=1; shift ;;
    --only) ONLY=,$2,; shift 2 ;;
    --skip) SKIP=,$2,; shift 2 ;;
    --rebuild) REBUILD=(--rebuild); shift ;;
    -h | --help) sed -n '2,/^[^#]/{/^#/!q;s/^# \{0,1\}//;p}' "$SELF"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
done

if [ "$QUICK" -eq 1 ]; then
    declare -A ARGS=(
        [transport-limit]="--connections 200 --step 2000,x2,100,8000 --warmup 1 --duration 2 --grace 2 --storm 2000 --max-seconds 300"
        [persistence-limit]="--rows 20000 --max-seconds 300"
        [throughput]="--connections 200 --step 1000,x2,100,4000 --warmup 1 --duration 2 --grace 2 --max-seconds 300"
        [throughput-idle]="--connections 200 --idle 1000 --step 1000,x2,100,4000 --warmup 1 --duration 2 --grace 2 --max-seconds 300"
        [throughput-fixed]="--fixed 200 --connections 1000 --warmup 1 --duration 3 --grace 2 --max-seconds 300"
        [idle]="--connections 1000 --hold 5 --heartbeat 2 --max-seconds 300"
        [idle-cluster]="--instances 2 --connections 2000 --generators 2 --hold 5 --heartbeat 2 --max-seconds 300"
        [storm]="--connections 2000 --users 200 --max-seconds 300"
        [http]="--rate 500 --duration 3 --warmup 1 --tradesmen 200 --max-seconds 300"
        [cluster]="--connections 300 --step 1000,x2,100,2000 --warmup 1 --duration 2 --grace 2 --max-seconds 300"
    )
else
    declare -A ARGS=(
        [transport-limit]=""
        [persistence-limit]=""
        [throughput]=""
        [throughput-idle]="--idle 10000"
        [throughput-fixed]="--fixed 1000 --connections 10000"
        [idle]=""
        [idle-cluster]="--instances 6 --connections 100000"
        [storm]=""
        [http]=""
        [cluster]=""
    )
fi
ORDER=(transport-limit persistence-limit throughput throughput-idle throughput-fixed idle idle-cluster storm http cluster)
declare -A SCRIPT=([throughput-idle]=throughput [throughput-fixed]=throughput [idle-cluster]=idle)

ts=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p results
index=results/run-all-$ts.txt
{
    echo "bench/run-all.sh $([ "$QUICK" -eq 1 ] && echo --quick) started $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "commit: $(git log -1 --format='%H %s' 2>/dev/null)"
} >"$index"
failed=()
for name in "${ORDER[@]}"; do
    [ -n "$ONLY" ] && [[ $ONLY != *",$name,"* ]] && continue
    [ -n "$SKIP" ] && [[ $SKIP == *",$name,"* ]] && continue
    script=${SCRIPT[$name]:-$name}.sh
    # shellcheck disable=SC2206
    args=(${ARGS[$name]} "${REBUILD[@]}")
    REBUILD=()
    echo "[run-all] $name: ./$script ${args[*]}" >&2
    mark=$(mktemp)
    ./"$script" "${args[@]}"
    rc=$?
    result=$(find results -maxdepth 1 -name '*.txt' -newer "$mark" ! -name 'run-all-*' | sort | tail -n 1)
    rm -f "$mark"
    {
        echo
        echo "==== $name: bench/$script ${args[*]} (exit code $rc) ===="
        echo "result: ${result:-none}"
        [ -n "$result" ] && sed -n '/^==== SUMMARY ====/,/^==== /{/^==== /!p}' "$result"
    } >>"$index"
    [ "$rc" -eq 0 ] || failed+=("$name")
done
echo "finished $(date -u +%Y-%m-%dT%H:%M:%SZ); failed: ${failed[*]:-none}" >>"$index"
echo "[run-all] summary: bench/$index; failed: ${failed[*]:-none}" >&2
[ "${#failed[@]}" -eq 0 ]
