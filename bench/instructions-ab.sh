#!/usr/bin/env bash
# bench/instructions-ab.sh: the daemon's instructions per new connection and
# per message, two builds side by side, counted by callgrind. Instruction
# counts do not depend on what else the machine is doing, so this answers
# "does B do more work than A" on a busy machine where bench/ab.sh's
# wall-clock ratios swing by tens of percent. It does not see what costs
# time without instructions (locks, cache misses, system calls' wait).
#
# Each build runs under `valgrind --tool=callgrind` on an embedded SQLite
# database (one run per point, a fresh daemon each), with the benchmark
# settings of bench/lib.sh. A run's total includes fixed costs (start-up,
# registering the users, stopping); the marginal cost is the difference of
# two runs of different size divided by the difference in work:
#   storm:      storms of --storm-small and --storm-large connections
#               (100 users; each connection: TCP, upgrade, hello, first ping,
#               close); instructions per connection
#   sequential: 2 connections sending 20 messages/s for --seq-short and
#               --seq-long seconds (each message acknowledged and delivered
#               before the next, so every message is its own commit in both
#               builds); instructions per message (the seconds between count
#               too: timers, sampling)
# Every point runs --rounds times, A and B alternating.
#
# Usage: bench/instructions-ab.sh --a DIR --b DIR [--rounds N]
#   --a DIR, --b DIR   Release build folders (server/sanayicind; the
#                      generator of --b, tools/loadgen/sanayicin-loadgen,
#                      drives both)
#   --rounds N         default 2
#   --storm-small N, --storm-large N   default 1000, 4000
#   --seq-short S, --seq-long S        default 10, 30
set -euo pipefail

A=
B=
ROUNDS=2
STORM_SMALL=1000
STORM_LARGE=4000
SEQ_SHORT=10
SEQ_LONG=30
while [ $# -gt 0 ]; do
    case $1 in
    --a) A=$(cd "$2" && pwd); shift 2 ;;
    --b) B=$(cd "$2" && pwd); shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --storm-small) STORM_SMALL=$2; shift 2 ;;
    --storm-large) STORM_LARGE=$2; shift 2 ;;
    --seq-short) SEQ_SHORT=$2; shift 2 ;;
    --seq-long) SEQ_LONG=$2; shift 2 ;;
    -h | --help) sed -n '2,/^[^#]/{/^#/!q;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
done
[ -n "$A" ] && [ -n "$B" ] || { echo "give --a DIR --b DIR (see --help)" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "valgrind is missing" >&2; exit 2; }
# For free_port and the benchmark settings (BENCH_DAEMON_BASE) only.
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
LOADGEN=$B/tools/loadgen/sanayicin-loadgen
for f in "$A/server/sanayicind" "$B/server/sanayicind" "$LOADGEN"; do
    [ -x "$f" ] || { echo "missing $f" >&2; exit 2; }
done

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT_DIR=$REPO/bench/results/$(date -u +%Y-%m-%d)
mkdir -p "$OUT_DIR"
RESULT=$OUT_DIR/instructions-ab-$STAMP.txt
STATE=$(mktemp -d /var/tmp/sanayicin-instructions.XXXXXX)
PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$STATE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

DAEMON_ARGS=("${BENCH_DAEMON_BASE[@]}" --threads 2)

# run BUILD NAME LOADGEN-ARGS...: prints the daemon's total instructions.
run() {
    local build=$1 name=$2
    shift 2
    local dir=$STATE/$name port dp lp
    mkdir -p "$dir"
    for _ in 1 2 3; do
        free_port
        port=$FREE_PORT
        valgrind --tool=callgrind --callgrind-out-file="$dir/callgrind.out" \
            "$build/server/sanayicind" --listen "127.0.0.1:$port" \
            --database "sqlite://$dir/db.sqlite" --data-dir "$dir" "${DAEMON_ARGS[@]}" \
            >"$dir/daemon.log" 2>&1 &
        dp=$!
        PIDS+=("$dp")
        local ready=0
        for _ in $(seq 1 240); do
            if curl -sf -m 2 "http://127.0.0.1:$port/readyz" >/dev/null; then ready=1; break; fi
            kill -0 "$dp" 2>/dev/null || break
            sleep 0.5
        done
        [ $ready -eq 1 ] && break
        kill -TERM "$dp" 2>/dev/null || true
        wait "$dp" 2>/dev/null || true
        rm -f "$dir"/*
    done
    [ $ready -eq 1 ] || { echo "the daemon of $name did not start: $(grep -v '^==' "$dir/daemon.log" | tail -n 3)" >&2; exit 1; }
    timeout 600 "$LOADGEN" --threads 1 --url "ws://127.0.0.1:$port/ws" "$@" --json \
        >"$dir/loadgen.json" 2>"$dir/loadgen.err" &
    lp=$!
    wait "$lp" || { echo "the generator of $name failed: $(tail -n 3 "$dir/loadgen.err")" >&2; exit 1; }
    sleep 2 # the closes the storm left behind
    kill -TERM "$dp"
    wait "$dp" || true
    grep -h '^totals:' "$dir"/callgrind.out* | awk '{s += $2} END {print s}'
}

{
    echo "instructions A/B, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "A: $A ($(git -C "$A/.." rev-parse --short HEAD 2>/dev/null || echo '?'))"
    echo "B: $B ($(git -C "$B/.." rev-parse --short HEAD 2>/dev/null || echo '?'))"
    echo "generator: $LOADGEN; $(valgrind --version)"
    echo
} | tee "$RESULT"

declare -A per
for ((r = 1; r <= ROUNDS; r++)); do
    order=(A B)
    ((r % 2 == 0)) && order=(B A)
    for side in "${order[@]}"; do
        build=$A
        [ "$side" = B ] && build=$B
        s1=$(run "$build" "$side-storm-$STORM_SMALL-$r" --storm "$STORM_SMALL" --users 100 --connect-concurrency 100 --hold 0)
        s2=$(run "$build" "$side-storm-$STORM_LARGE-$r" --storm "$STORM_LARGE" --users 100 --connect-concurrency 100 --hold 0)
        q1=$(run "$build" "$side-seq-$SEQ_SHORT-$r" --connections 2 --users 2 --rate 20 --warmup 1 --duration "$SEQ_SHORT")
        q1n=$(jq -r .sent "$STATE/$side-seq-$SEQ_SHORT-$r/loadgen.json")
        q2=$(run "$build" "$side-seq-$SEQ_LONG-$r" --connections 2 --users 2 --rate 20 --warmup 1 --duration "$SEQ_LONG")
        q2n=$(jq -r .sent "$STATE/$side-seq-$SEQ_LONG-$r/loadgen.json")
        pc=$(( (s2 - s1) / (STORM_LARGE - STORM_SMALL) ))
        pm=$(( (q2 - q1) / (q2n - q1n) ))
        per[$side-conn-$r]=$pc
        per[$side-msg-$r]=$pm
        echo "round $r $side: storm $STORM_SMALL: $s1, $STORM_LARGE: $s2 -> $pc per connection; sequential $q1n msgs: $q1, $q2n msgs: $q2 -> $pm per message" | tee -a "$RESULT"
    done
done

median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
for what in conn msg; do
    ma=$(for ((r = 1; r <= ROUNDS; r++)); do echo "${per[A-$what-$r]}"; done | median)
    mb=$(for ((r = 1; r <= ROUNDS; r++)); do echo "${per[B-$what-$r]}"; done | median)
    label=connection
    [ $what = msg ] && label=message
    echo "instructions per $label: A $ma, B $mb, B/A $(awk -v a="$ma" -v b="$mb" 'BEGIN {printf "%.3f", b / a}')" | tee -a "$RESULT"
done
echo "result: $RESULT"
