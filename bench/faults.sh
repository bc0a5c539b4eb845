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
# the faults spread evenly over the sending (--fault-at is then ignored), or
# with --fault-every one of them at random every ~S seconds (the soak,
# bench/soak.sh). With --sample the resources of every process are sampled
# (bench/resources.sh) and judged flat (bench/resource_drift.py): the exit
# code is then 1 on a drift too.
# Each fault is a file bench/faults/FAULT.sh (its hooks: bench/faults/common.sh).
#
# Usage: bench/faults.sh FAULT[,FAULT...] [options]
#   FAULT: one of the faults listed below, or
#          all                 each fault in turn (one run and result file each)
#          quick               sigkill,pg-restart-fast,pgbouncer-restart,redis-failover
#                              in one run of 20 s, each down 1 s (the ctest
#                              faults_quick, ~45 s in all)
#   --duration S        seconds of sending (default 60)
#   --rate R            messages/s (default 200)
#   --connections N     generator connections, two per user (default 60)
#   --no-ring           each user in one conversation only (the default is
#                       sanayicin-loadgen --ring: every user in two, so that
#                       ids that go backwards across conversations show)
#   --fault-at S        seconds into the sending (default: a third of --duration)
#   --fault-length S    seconds the part stays down (default 3)
#   --pgbouncer         the daemons reach PostgreSQL through pgBouncer
#   --churn S           clients come and go: each connection closes (1000) after
#                       0.5-1.5 S seconds and opens again (sanayicin-loadgen --churn)
#   --fault-every S     the faults of the list at random, one every 0.5-1.5 S
#                       seconds (none in the last 30 s of sending); seeded
#   --seed N            the seed of that plan (default: random; printed)
#   --sample S          sample RSS, fds, threads, Redis memory and clients,
#                       PostgreSQL and pgBouncer connections every S seconds
#                       during the sending, and judge them flat
#   --drift-rule R      SUFFIX=REL,ABS: another allowed drift for the judge
#                       (bench/resource_drift.py --rule; repeatable)
#   --name NAME         the result file's name (default faults-FAULT...)
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
source "$here/resources.sh"
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
CHURN=
FAULT_EVERY=
SEED=
SAMPLE=
DRIFT_RULES=()
NAME=
RING=--ring
PASS_ON=()
while [ $# -gt 0 ]; do
    case $1 in
    --duration) DURATION=$2; PASS_ON+=("$1" "$2"); shift 2 ;;
    --rate) RATE=$2; PASS_ON+=("$1" "$2"); shift 2 ;;
    --connections) CONNECTIONS=$2; PASS_ON+=("$1" "$2"); shift 2 ;;
    --fault-at) FAULT_AT=$2; PASS_ON+=("$1" "$2"); shift 2 ;;
    --fault-length) FAULT_LENGTH=$2; PASS_ON+=("$1" "$2"); shift 2 ;;
    --pgbouncer) USE_PGB=1; PASS_ON+=("$1"); shift ;;
    --churn) CHURN=$2; PASS_ON+=("$1" "$2"); shift 2 ;;
    --fault-every) FAULT_EVERY=$2; PASS_ON+=("$1" "$2"); shift 2 ;;
    --seed) SEED=$2; PASS_ON+=("$1" "$2"); shift 2 ;;
    --sample) SAMPLE=$2; PASS_ON+=("$1" "$2"); shift 2 ;;
    --drift-rule) DRIFT_RULES+=(--rule "$2"); PASS_ON+=("$1" "$2"); shift 2 ;;
    --name) NAME=$2; shift 2 ;;
    --no-ring) RING=; PASS_ON+=("$1"); shift ;;
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
quick)
    # The issue's CI subset: SIGKILL, PostgreSQL restart, pgBouncer restart
    # and a Redis Sentinel failover.
    exec "$0" "sigkill,pg-restart-fast,pgbouncer-restart,redis-failover" --name faults-quick --duration 20 \
        --fault-length 1 "${PASS_ON[@]}"
    ;;
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
# Seconds into the sending at which each fault starts (FAULT_TIMES), and
# which (FAULT_SEQ).
FAULT_TIMES=()
FAULT_SEQ=()
if [ -n "$FAULT_EVERY" ]; then
    # At random from the list, seeded (bash's RANDOM, so the plan repeats
    # with --seed); the gaps 0.5-1.5 times --fault-every. Drawn from a bag
    # that holds each fault once and is filled again when empty, so that
    # every kind comes once before any comes a second time (an hour drew
    # no redis-restart of seven kinds in eleven faults).
    [ -n "$SEED" ] || SEED=$((RANDOM * 32768 + RANDOM))
    RANDOM=$SEED
    t=0
    bag=()
    while :; do
        t=$((t + FAULT_EVERY / 2 + (RANDOM * 32768 + RANDOM) % (FAULT_EVERY + 1)))
        ((t + FAULT_LENGTH + 30 <= DURATION)) || break
        FAULT_TIMES+=("$t")
        [ ${#bag[@]} -gt 0 ] || bag=("${FAULTS[@]}")
        pick=$((RANDOM % ${#bag[@]}))
        FAULT_SEQ+=("${bag[$pick]}")
        bag=("${bag[@]:0:pick}" "${bag[@]:pick+1}")
    done
    RANDOM=$(($(date +%s%N) % 32768))
elif [ ${#FAULTS[@]} -eq 1 ]; then
    FAULT_TIMES=("${FAULT_AT:-$((DURATION / 3))}")
    FAULT_SEQ=("${FAULTS[@]}")
else
    for ((k = 1; k <= ${#FAULTS[@]}; k++)); do FAULT_TIMES+=($((DURATION * k / (${#FAULTS[@]} + 1)))); done
    FAULT_SEQ=("${FAULTS[@]}")
fi
for b in "$DAEMON" "$LOADGEN" "$HISTORY_CHECK"; do
    [ -x "$b" ] || { echo "missing $b: cmake --build $BUILD --target sanayicind sanayicin-loadgen history-check" >&2; exit 2; }
done

# The checker reads the whole history at the end: a minute or two for an hour's.
BENCH_MAX_SECONDS=${BENCH_MAX_SECONDS:-$((DURATION + 300 + DURATION / 4))}
bench_begin "${NAME:-faults-${FAULT//,/+}}"
if [ -n "$SAMPLE" ] && grep -q '^SANAYICIN_SANITIZE:BOOL=ON' "$BUILD/CMakeCache.txt" 2>/dev/null; then
    # ASan keeps freed memory in a quarantine (256 MiB by default): RSS grows
    # until it is full, which says nothing of a leak. A small one lets RSS
    # settle within the warm-up (LeakSanitizer at exit finds the leaks).
    export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=8"
    section "sanitizers"
    res "ASan build: ASAN_OPTIONS=$ASAN_OPTIONS (a small quarantine, so that RSS can settle)"
fi
if [ ${#FAULT_SEQ[@]} -gt 0 ]; then
    section "fault plan"
    [ -n "$FAULT_EVERY" ] && res "at random from ${FAULT}, one every 0.5-1.5 x $FAULT_EVERY s; seed $SEED (--seed $SEED repeats it)"
    for ((k = 0; k < ${#FAULT_SEQ[@]}; k++)); do res "  +${FAULT_TIMES[$k]} s  ${FAULT_SEQ[$k]}"; done
    log "fault plan: ${#FAULT_SEQ[@]} faults${SEED:+, seed $SEED}"
fi
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
    --grace 20 --heartbeat 2 --history "$HISTORY" --json ${CHURN:+--churn "$CHURN"} $RING
# The fault comes FAULT_AT seconds after the generator starts sending.
for ((i = 0; i < 600; i++)); do
    grep -q 'sending' "$BENCH_STATE/lg.err" 2>/dev/null && break
    kill -0 "${BENCH_BG_PID[lg]}" 2>/dev/null || break
    sleep 0.1
done
grep -q 'sending' "$BENCH_STATE/lg.err" || die "the generator did not start sending: $(tail -n 5 "$BENCH_STATE/lg.err")"
sending_since=$(date +%s%N)
SAMPLES=$BENCH_STATE/resources.txt
if [ -n "$SAMPLE" ]; then
    : >"$SAMPLES"
    resources_start "$SAMPLES" "$SAMPLE"
    log "sampling resources every $SAMPLE s"
fi

FAULTS_INJECTED=${#FAULT_SEQ[@]}
for ((k = 0; k < ${#FAULT_SEQ[@]}; k++)); do
    # FAULT_TIMES[k] seconds after the sending began (or at once, when the
    # previous fault took longer).
    wait_s=$(awk -v a="$sending_since" -v b="$(date +%s%N)" -v at="${FAULT_TIMES[$k]}" \
        'BEGIN { w = at - (b - a) / 1e9; print (w > 0 ? w : 0) }')
    sleep "$wait_s"
    sending_left=$(awk -v a="$sending_since" -v b="$(date +%s%N)" -v d="$DURATION" 'BEGIN { printf "%d", d - (b - a) / 1e9 }')
    if ! kill -0 "${BENCH_BG_PID[lg]}" 2>/dev/null || { [ -n "$FAULT_EVERY" ] && [ "$sending_left" -lt 10 ]; }; then
        # One planned fault is the point of a fault run; a soak's draw may
        # outrun the sending when its faults took long (a network fault
        # holds 10-20 s): the rest are left out (none in the last 10 s of
        # sending, nor in the drain and final sync), and the result says so.
        [ -n "$FAULT_EVERY" ] || die "the generator ended before fault ${FAULT_SEQ[$k]}"
        section "faults not injected: the sending had ended"
        res "${FAULT_SEQ[*]:$k}"
        summary "faults not injected (the sending ended first): ${FAULT_SEQ[*]:$k}"
        log "the sending ended before fault ${FAULT_SEQ[$k]}: ${#FAULT_SEQ[@]} planned, $k injected"
        FAULTS_INJECTED=$k
        break
    fi
    section "fault: ${FAULT_SEQ[$k]} (+${FAULT_TIMES[$k]} s)"
    fault_hook inject "${FAULT_SEQ[$k]}"
done

if [ -n "$SAMPLE" ]; then
    # Samples of the steady load only: the drain and the final close are not.
    sleep "$(awk -v a="$sending_since" -v b="$(date +%s%N)" -v d="$DURATION" 'BEGIN { w = d - (b - a) / 1e9; print (w > 0 ? w : 0) }')"
    resources_stop
fi
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
summary "$(grep -m1 '^churn: ' "$BENCH_STATE/check.txt" || true)"
run_summary lg || true
drift_rc=0
if [ -n "$SAMPLE" ]; then
    section "resources (every $SAMPLE s during the sending)"
    # Through pgBouncer the database connections are its pool, bounded by
    # max_db_connections: growth up to it after a burst is the pool at work.
    if [ "$USE_PGB" -eq 1 ]; then
        max_db=$(awk -F' *= *' '$1 == "max_db_connections" {print $2}' "$REPO/deploy/pgbouncer/pgbouncer.ini")
        [ -n "$max_db" ] && DRIFT_RULES+=(--cap "servers=$max_db" --cap "connections=$max_db")
    else
        # Straight to PostgreSQL, an instance holds at most its readers
        # (--db-readers, default 2), the writer and the delivery thread's connection,
        # which is opened again only when next needed after a restart of
        # PostgreSQL: 9 backends for a while, then 12, is that bound.
        readers=2
        for ((i = 0; i < ${#BENCH_DAEMON_ARGS[@]}; i++)); do
            case ${BENCH_DAEMON_ARGS[$i]} in
            --db-readers) readers=${BENCH_DAEMON_ARGS[$((i + 1))]:-$readers} ;;
            --db-readers=*) readers=${BENCH_DAEMON_ARGS[$i]#--db-readers=} ;;
            esac
        done
        DRIFT_RULES+=(--cap "connections=$((3 * (readers + 2)))")
    fi
    res_cmd bench/resource_drift.py "${DRIFT_RULES[@]}" resources.txt
    "$here/resource_drift.py" "${DRIFT_RULES[@]}" "$SAMPLES" >"$BENCH_STATE/drift.txt" 2>&1 || drift_rc=$?
    res <"$BENCH_STATE/drift.txt"
    summary "$(tail -n 1 "$BENCH_STATE/drift.txt")"
    gzip -c "$SAMPLES" >"${RESULT%.txt}.resources.txt.gz"
    res "samples: ${RESULT%.txt}.resources.txt.gz (<epoch s> <series> <pid> <value>)"
    if [ "$check_rc" -eq 0 ] && [ "$drift_rc" -eq 0 ]; then
        summary "soak verdict: PASS (checker PASS, every resource within its drift)"
    else
        summary "soak verdict: FAIL (checker exit $check_rc, resources exit $drift_rc)"
    fi
fi
# The daemons stop here (SIGTERM: a drain), and each must end cleanly:
# exit 0, no sanitizer report in its log (ASan build: LeakSanitizer and
# what ASan finds at exit), not dead before the stop. A fault that ends an
# instance on purpose (sigkill) has already replaced it; one whose daemon
# cannot end cleanly names it in DAEMON_END_UNJUDGED with the reason.
san_rc=0
end_wait=30
grep -q '^SANAYICIN_SANITIZE:BOOL=ON' "$BUILD/CMakeCache.txt" 2>/dev/null && end_wait=90 # LeakSanitizer's scan
bench_stop_daemons_judged "$end_wait"
section "how the instances ended (SIGTERM at the end of the run)"
bad_ends=()
for e in "${DAEMON_ENDS[@]}"; do
    read -r e_name _ e_how <<<"$e"
    if [ "$e_how" = "exit 0" ]; then
        res "$e"
    elif [[ " ${DAEMON_END_UNJUDGED:-} " == *" $e_name "* ]]; then
        res "$e (not judged: ${DAEMON_END_WHY:-})"
    else
        res "$e: FAIL"
        bad_ends+=("$e")
    fi
done
reports=$(bench_sanitizer_reports)
if [ -n "$reports" ]; then
    section "sanitizer reports in the daemons' logs"
    res <<<"$reports"
fi
if [ -n "$reports" ] || [ ${#bad_ends[@]} -gt 0 ]; then
    san_rc=1
    summary "instances' ends: FAIL (${#bad_ends[@]} not clean, $( [ -n "$reports" ] && wc -l <<<"$reports" || echo 0) sanitizer reports; the logs are kept)"
    BENCH_KEEP=1
else
    summary "instances' ends: ${#DAEMON_ENDS[@]} clean (exit 0 after SIGTERM, no sanitizer report)"
fi
# A failing history is evidence: keep it beside the result.
if [ "$check_rc" -ne 0 ]; then
    BENCH_KEEP=1
    gzip -c "$HISTORY" >"${RESULT%.txt}.history.jsonl.gz" || true
    cp "$MARKERS" "${RESULT%.txt}.markers.jsonl" || true
    res "history kept: ${RESULT%.txt}.history.jsonl.gz and .markers.jsonl"
fi
bench_finish
# The verdicts last, where a tail of the output (CI's) shows them.
grep -E '^verdict:|^  [a-z-]+: [0-9]+$|^  \[' "$BENCH_STATE/check.txt" | head -n 12 >&2 || true
[ -n "$reports" ] && echo "$reports" >&2
[ ${#bad_ends[@]} -gt 0 ] && printf 'instance ended badly: %s\n' "${bad_ends[@]}" >&2
[ "$check_rc" -ne 0 ] && exit "$check_rc"
[ "$drift_rc" -ne 0 ] && exit 1
[ "$san_rc" -ne 0 ] && exit 1
if [ ${#FAULT_SEQ[@]} -gt 0 ] && [ "$FAULTS_INJECTED" -eq 0 ]; then
    echo "no fault was injected (the sending ended first)" >&2
    exit 1
fi
exit 0
