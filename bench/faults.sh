#!/usr/bin/env bash
# bench/faults.sh: faults injected under load, the operation history
# checked afterwards (issue 12, docs/reliability.md).
#
# Starts PostgreSQL, Redis, three sanayicind instances (and pgBouncer for
# pgbouncer-restart or --pgbouncer) on loopback, runs the generator with
# --history at a moderate rate for --duration seconds, injects FAULT at
# --fault-at seconds into the sending, marks its start and end in a marker
# file, lets the generator drain and sync, then runs history-check on the
# history and the markers. The result file (bench/results/<date>/
# faults-<fault>-<stamp>.txt) has the checker's verdict and the recovery
# time. Exit code: the checker's (0 pass, 1 violation, 2 unreadable).
# FAULT may be a comma-separated list (e.g. sigkill,redis-restart): one run,
# the faults spread evenly over the sending (--fault-at is then ignored).
#
# Usage: bench/faults.sh FAULT[,FAULT...] [options]
#   FAULT: sigkill             SIGKILL one instance, start it again after --fault-length
#          sigstop             SIGSTOP one instance (frozen, its sockets open) for
#                              --fault-length but at least 8 s, then SIGCONT: its
#                              clients must notice by heartbeat (the generator pings
#                              every 2 s and drops a connection silent for 6 s)
#          redis-restart       stop Redis (SIGTERM), start it again after --fault-length
#          pg-restart-fast     pg_ctl stop -m fast, start again after --fault-length
#          pg-restart-immediate  pg_ctl stop -m immediate (a crash), start again
#          pgbouncer-restart   stop pgBouncer (SIGTERM), start it again (implies --pgbouncer)
#          pgbouncer-pause     PAUSE on pgBouncer's admin console, RESUME after
#                              --fault-length (implies --pgbouncer)
#          all                 each of the above in turn (one run and result file each)
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
HISTORY_CHECK=$BUILD/tools/history-check/history-check

FAULT=${1:-}
[ -n "$FAULT" ] && shift
case $FAULT in
-h | --help) usage_of "$0"; echo "$COMMON_USAGE"; exit 0 ;;
'' | -*) usage_of "$0" >&2; exit 2 ;;
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
    for f in sigkill sigstop redis-restart pg-restart-fast pg-restart-immediate pgbouncer-restart pgbouncer-pause; do
        "$0" "$f" "${PASS_ON[@]}" || rc=1
    done
    exit "$rc"
    ;;
quick) exec "$0" sigkill,redis-restart --duration 15 --fault-length 1 "${PASS_ON[@]}" ;;
esac
IFS=, read -r -a FAULTS <<<"$FAULT"
[ ${#FAULTS[@]} -gt 0 ] || { usage_of "$0" >&2; exit 2; }
for f in "${FAULTS[@]}"; do
    case $f in
    sigkill | sigstop | redis-restart | pg-restart-fast | pg-restart-immediate) ;;
    pgbouncer-restart | pgbouncer-pause) USE_PGB=1 ;;
    *)
        echo "unknown fault: $f" >&2
        usage_of "$0" >&2
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
section "cluster"
for k in 0 1 2; do bench_start_daemon "c$k" "$(pg_url faults "$DB_PORT")" "$REDIS_URL"; done
urls=()
for p in "${DAEMON_PORTS[@]}"; do urls+=(--url "ws://127.0.0.1:$p/ws"); done

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

# One fault: start marker, the part away for FAULT_LENGTH s, back, end marker.
inject() { # FAULT
    local f=$1
    section "fault: $f"
    case $f in
    sigkill)
        local victim=${DAEMON_PIDS[1]} port=${DAEMON_PORTS[1]}
        res "SIGKILL sanayicind c1 (pid $victim, port $port); started again after $FAULT_LENGTH s"
        mark "$f" start
        kill -KILL "$victim"
        wait "$victim" 2>/dev/null || true
        bench_untrack "$victim"
        mv "$BENCH_STATE/daemon-c1.log" "$BENCH_STATE/daemon-c1.killed-$victim.log"
        sleep "$FAULT_LENGTH"
        DAEMON_PIDS=("${DAEMON_PIDS[0]}" "${DAEMON_PIDS[2]}")
        DAEMON_PORTS=("${DAEMON_PORTS[0]}" "${DAEMON_PORTS[2]}")
        BENCH_NEXT_PORT=$port
        bench_start_daemon c1 "$(pg_url faults "$DB_PORT")" "$REDIS_URL"
        # c1 back in second place, as before.
        DAEMON_PIDS=("${DAEMON_PIDS[0]}" "${DAEMON_PIDS[2]}" "${DAEMON_PIDS[1]}")
        DAEMON_PORTS=("${DAEMON_PORTS[0]}" "${DAEMON_PORTS[2]}" "${DAEMON_PORTS[1]}")
        mark "$f" end
        ;;
    sigstop)
        local victim=${DAEMON_PIDS[1]} hold=$FAULT_LENGTH
        awk -v h="$hold" 'BEGIN { exit !(h < 8) }' && hold=8
        res "SIGSTOP sanayicind c1 (pid $victim) for $hold s, then SIGCONT"
        mark "$f" start
        kill -STOP "$victim"
        sleep "$hold"
        kill -CONT "$victim"
        mark "$f" end
        ;;
    redis-restart)
        res "Redis (pid $REDIS_PID, port $REDIS_PORT) stopped with SIGTERM, started again after $FAULT_LENGTH s"
        mark "$f" start
        bench_stop_pid "$REDIS_PID" 20 TERM
        mv "$BENCH_STATE/redis/redis.log" "$BENCH_STATE/redis/redis.before-$REDIS_PID.log"
        sleep "$FAULT_LENGTH"
        BENCH_NEXT_PORT=$REDIS_PORT
        bench_start_redis
        mark "$f" end
        ;;
    pg-restart-fast | pg-restart-immediate)
        local mode=${f#pg-restart-}
        res "PostgreSQL (pid $PG_PID): pg_ctl stop -m $mode, started again after $FAULT_LENGTH s"
        res_cmd runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PG_SOCKET/data" -m "$mode" -w stop
        mark "$f" start
        as_postgres "$PGBIN/pg_ctl" -D "$PG_SOCKET/data" -m "$mode" -w -t 60 stop >/dev/null \
            || die "pg_ctl stop -m $mode failed"
        bench_untrack "$PG_PID"
        sleep "$FAULT_LENGTH"
        as_postgres "$PGBIN/pg_ctl" -D "$PG_SOCKET/data" -l "$PG_SOCKET/server.log" -w -t 120 start >/dev/null \
            || die "PostgreSQL did not start again: $(tail -n 10 "$PG_SOCKET/server.log")"
        PG_PID=$(head -n 1 "$PG_SOCKET/data/postmaster.pid")
        bench_track postgres "$PG_PID"
        mark "$f" end
        ;;
    pgbouncer-restart)
        res "pgBouncer (pid $PGB_PID, port $PGB_PORT) stopped with SIGTERM, started again after $FAULT_LENGTH s"
        mark "$f" start
        bench_stop_pid "$PGB_PID" 20 TERM
        mv "$BENCH_STATE/pgbouncer/pgbouncer.log" "$BENCH_STATE/pgbouncer/pgbouncer.before-$PGB_PID.log" 2>/dev/null || true
        sleep "$FAULT_LENGTH"
        BENCH_NEXT_PORT=$PGB_PORT
        bench_start_pgbouncer faults
        mark "$f" end
        ;;
    pgbouncer-pause)
        res "pgBouncer (pid $PGB_PID): PAUSE (waits for running transactions, then holds every query), RESUME after $FAULT_LENGTH s"
        mark "$f" start
        pgb_admin PAUSE
        sleep "$FAULT_LENGTH"
        pgb_admin RESUME
        mark "$f" end
        ;;
    esac
}
# A command on pgBouncer's admin console.
pgb_admin() { # COMMAND
    res_cmd psql -h 127.0.0.1 -p "$PGB_PORT" -U pgbouncer_admin -d pgbouncer -c "$1"
    PGPASSWORD=$PG_PASSWORD timeout 30 psql -h 127.0.0.1 -p "$PGB_PORT" -U pgbouncer_admin -d pgbouncer \
        -v ON_ERROR_STOP=1 -qc "$1" >>"$BENCH_STATE/pgbouncer-admin.log" 2>&1 \
        || die "pgBouncer $1 failed: $(tail -n 3 "$BENCH_STATE/pgbouncer-admin.log")"
}

for ((k = 0; k < ${#FAULTS[@]}; k++)); do
    # FAULT_TIMES[k] seconds after the sending began (or at once, when the
    # previous fault took longer).
    wait_s=$(awk -v a="$sending_since" -v b="$(date +%s%N)" -v at="${FAULT_TIMES[$k]}" \
        'BEGIN { w = at - (b - a) / 1e9; print (w > 0 ? w : 0) }')
    sleep "$wait_s"
    kill -0 "${BENCH_BG_PID[lg]}" 2>/dev/null || die "the generator ended before fault ${FAULTS[$k]}"
    inject "${FAULTS[$k]}"
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
