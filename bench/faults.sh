#!/usr/bin/env bash
# bench/faults.sh: faults injected under load, the operation history
# checked afterwards (issue 12, docs/reliability.md).
#
# Starts PostgreSQL, Redis, three sanayicind instances (and pgBouncer for
# the pgBouncer faults or --pgbouncer) on loopback, runs the generator with
# --history at a moderate rate for --duration seconds, injects FAULT at
# --fault-at seconds into the sending, marks its start and end in a marker
# file, lets the generator drain and sync, then runs history-check on the
# history and the markers. The result file (bench/results/<date>/
# faults-<fault>-<stamp>.txt) has the checker's verdict and the recovery
# time. Exit code: the checker's (0 pass, 1 violation, 2 unreadable).
# FAULT may be a comma-separated list (e.g. sigkill,redis-restart): one run,
# the faults spread evenly over the sending (--fault-at is then ignored).
# Each fault is a file bench/faults/FAULT.sh (its hooks: bench/faults/common.sh).
#
# Usage: bench/faults.sh FAULT[,FAULT...] [options]
#   FAULT: one of the faults listed below, or
#          all                 each fault in turn (one run and result file each)
#          quick               sigkill,redis-restart in one run of 15 s, each down 1 s
#                              (the ctest faults_quick, about 30 s in all)
#   --duration S        seconds of sending (default 60)
#   --rate R            messages/s (default 200)
#   --connections N     generator connections, two per user (default 60)
#   --fault-at S        seconds into the sending (default: a third of --duration)
#   --fault-length S    seconds the part stays down (default 3)
#   --pgbouncer         the daemons reach PostgreSQL through pgBouncer
# Binaries from BENCH_BUILD_DIR (default build-bench if it has history-check,
# else build-asan): sanayicind, sanayicin-loadgen, history-check.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${BENCH_BUILD_DIR:-}" ]; then
    BENCH_BUILD_DIR=$here/../build-asan
    [ -x "$here/../build-bench/tools/history-check/history-check" ] && BENCH_BUILD_DIR=$here/../build-bench
fi
export BENCH_BUILD_DIR
export BENCH_RESULTS_DIR=${BENCH_RESULTS_DIR:-$here/results/$(date -u +%F)}
source "$here/lib.sh"
source "$here/faults/common.sh"
HISTORY_CHECK=$BUILD/tools/history-check/history-check
KNOWN_FAULTS=()
for f in "$here"/faults/*.sh; do
    [ "$(basename "$f")" = common.sh ] && continue
    KNOWN_FAULTS+=("$(basename "$f" .sh)")
    source "$f"
done
# The usage, and every fault file's description.
fault_usage() {
    usage_of "$0"
    local f
    echo "Faults:"
    for f in "${KNOWN_FAULTS[@]}"; do sed -n '2,/^[^#]/{/^#/!q;s/^#/ /;p}' "$here/faults/$f.sh"; done
}

FAULT=${1:-}
[ -n "$FAULT" ] && shift
case $FAULT in
-h | --help) fault_usage; echo "$COMMON_USAGE"; exit 0 ;;
'' | -*) fault_usage >&2; exit 2 ;;
esac
DURATION=60
RATE=200
CONNECTIONS=60
FAULT_AT=
FAULT_LENGTH=3
USE_PGB=0
PASS_ON=()
while [ $# -gt 0 ]; do
    case $1 in
    --duration) DURATION=$2; PASS_ON+=("$1" "$2"); shift 2 ;;
    --rate) RATE=$2; PASS_ON+=("$1" "$2"); shift 2 ;;
    --connections) CONNECTIONS=$2; PASS_ON+=("$1" "$2"); shift 2 ;;
    --fault-at) FAULT_AT=$2; PASS_ON+=("$1" "$2"); shift 2 ;;
    --fault-length) FAULT_LENGTH=$2; PASS_ON+=("$1" "$2"); shift 2 ;;
    --pgbouncer) USE_PGB=1; PASS_ON+=("$1"); shift ;;
    *)
        PASS_ON+=("$1")
        [ $# -gt 1 ] && case $1 in --max-seconds | --daemon-arg | --daemon-threads | --loadgen-threads) PASS_ON+=("$2") ;; esac
        bench_unknown_opt "$@"
        shift "$BENCH_SHIFT"
        ;;
    esac
done

# Several faults: this script once per fault, each with its own result.
case $FAULT in
all)
    rc=0
    for f in "${KNOWN_FAULTS[@]}"; do
        "$0" "$f" "${PASS_ON[@]}" || rc=1
    done
    exit "$rc"
    ;;
quick) exec "$0" sigkill,redis-restart --duration 15 --fault-length 1 "${PASS_ON[@]}" ;;
esac
IFS=, read -r -a FAULTS <<<"$FAULT"
[ ${#FAULTS[@]} -gt 0 ] || { usage_of "$0" >&2; exit 2; }
for f in "${FAULTS[@]}"; do
    case " ${KNOWN_FAULTS[*]} " in
    *" $f "*) fault_hook prepare "$f" ;;
    *)
        echo "unknown fault: $f" >&2
        fault_usage >&2
        exit 2
        ;;
    esac
done
# Seconds into the sending at which each fault starts.
FAULT_TIMES=()
if [ ${#FAULTS[@]} -eq 1 ]; then
    FAULT_TIMES=("${FAULT_AT:-$((DURATION / 3))}")
else
    for ((k = 1; k <= ${#FAULTS[@]}; k++)); do FAULT_TIMES+=($((DURATION * k / (${#FAULTS[@]} + 1)))); done
fi
for b in "$DAEMON" "$LOADGEN" "$HISTORY_CHECK"; do
    [ -x "$b" ] || { echo "missing $b: cmake --build $BUILD --target sanayicind sanayicin-loadgen history-check" >&2; exit 2; }
done

BENCH_MAX_SECONDS=${BENCH_MAX_SECONDS:-$((DURATION + 300))}
bench_begin "faults-${FAULT//,/+}"
section "binaries"
for b in "$DAEMON" "$LOADGEN" "$HISTORY_CHECK"; do res "$b  built $(date -u -r "$b" +%Y-%m-%dT%H:%M:%SZ)"; done
res "build type: $(grep -m1 '^CMAKE_BUILD_TYPE:' "$BUILD/CMakeCache.txt" | cut -d= -f2)"

MARKERS=$BENCH_STATE/markers.jsonl
HISTORY=$BENCH_STATE/history.jsonl
: >"$MARKERS"
mark() { # NAME start|end
    printf '{"t":%s,"ev":"fault","name":"%s","phase":"%s"}\n' "$(date +%s%N)" "$1" "$2" >>"$MARKERS"
    log "fault $1: $2"
}

bench_start_postgres
bench_create_db faults
bench_start_redis
DB_PORT=$PG_PORT
if [ "$USE_PGB" -eq 1 ]; then
    bench_start_pgbouncer faults
    DB_PORT=$PGB_PORT
fi
for f in "${FAULTS[@]}"; do fault_hook setup "$f"; done
section "cluster"
# A setup hook may have chosen how c0, c1 or c2 start: DAEMON_SETUP_<name>,
# a command run just before that instance's bench_start_daemon.
for k in 0 1 2; do start_instance "c$k"; done
urls=()
for k in "${!DAEMON_PORTS[@]}"; do urls+=(--url "ws://${DAEMON_HOSTS[$k]}:${DAEMON_PORTS[$k]}/ws"); done

section "generator"
bench_start_bg lg $((DURATION + 240)) "$LOADGEN" --threads "$BENCH_LOADGEN_THREADS" "${urls[@]}" \
    --connections "$CONNECTIONS" --users $((CONNECTIONS / 2)) --rate "$RATE" --duration "$DURATION" \
    --grace 20 --heartbeat 2 --history "$HISTORY" --json
# The fault comes FAULT_AT seconds after the generator starts sending.
for ((i = 0; i < 600; i++)); do
    grep -q 'sending' "$BENCH_STATE/lg.err" 2>/dev/null && break
    kill -0 "${BENCH_BG_PID[lg]}" 2>/dev/null || break
    sleep 0.1
done
grep -q 'sending' "$BENCH_STATE/lg.err" || die "the generator did not start sending: $(tail -n 5 "$BENCH_STATE/lg.err")"
sending_since=$(date +%s%N)

for ((k = 0; k < ${#FAULTS[@]}; k++)); do
    # FAULT_TIMES[k] seconds after the sending began (or at once, when the
    # previous fault took longer).
    wait_s=$(awk -v a="$sending_since" -v b="$(date +%s%N)" -v at="${FAULT_TIMES[$k]}" \
        'BEGIN { w = at - (b - a) / 1e9; print (w > 0 ? w : 0) }')
    sleep "$wait_s"
    kill -0 "${BENCH_BG_PID[lg]}" 2>/dev/null || die "the generator ended before fault ${FAULTS[$k]}"
    section "fault: ${FAULTS[$k]}"
    fault_hook inject "${FAULTS[$k]}"
done

bench_wait_bg lg
bench_loadgen_report lg || true

section "history check"
res "history: $HISTORY ($(wc -l <"$HISTORY") lines), markers: $MARKERS"
cat "$MARKERS" | res
res_cmd "$HISTORY_CHECK" "$HISTORY" "$MARKERS"
check_rc=0
"$HISTORY_CHECK" "$HISTORY" "$MARKERS" >"$BENCH_STATE/check.txt" 2>&1 || check_rc=$?
res <"$BENCH_STATE/check.txt"
res "exit code: $check_rc"
verdict=$(grep -m1 '^verdict:' "$BENCH_STATE/check.txt" || echo "verdict: checker failed (exit $check_rc)")
summary "$FAULT: ${verdict#verdict: } (checker exit $check_rc)"
while IFS= read -r l; do summary "$l"; done < <(grep '^fault ' "$BENCH_STATE/check.txt" || true)
summary "$(grep -m1 '^sends ' "$BENCH_STATE/check.txt" || true)"
run_summary lg || true
# A failing history is evidence: keep it beside the result.
if [ "$check_rc" -ne 0 ]; then
    BENCH_KEEP=1
    gzip -c "$HISTORY" >"${RESULT%.txt}.history.jsonl.gz" || true
    cp "$MARKERS" "${RESULT%.txt}.markers.jsonl" || true
    res "history kept: ${RESULT%.txt}.history.jsonl.gz and .markers.jsonl"
fi
bench_finish
exit "$check_rc"
