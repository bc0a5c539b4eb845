#!/usr/bin/env bash
# bench/ab.sh: one scenario against two builds, alternating in one run, so
# that a change is judged by a ratio measured under the same machine load
# (this machine is shared and its speed drifts by tens of percent over a day).
# Rounds run A B, B A, A B, ... so a drift in time hits both sides alike.
#
# Usage: bench/ab.sh --a DIR --b DIR [--rounds N] SCENARIO [ARGS...]
#   --a DIR, --b DIR   two Release build folders (each with server/sanayicind,
#                      tools/loadgen/..., tools/echo-server/...; e.g. a copy of
#                      build-bench made before the change, and build-bench)
#   --rounds N         rounds of A and B (default 4)
#   SCENARIO           throughput or storm (the script bench/SCENARIO.sh);
#                      ARGS go to it unchanged
#
# What is compared, per run, taken from its result file:
#   throughput --fixed R   the daemon's CPU (% of one core) at the fixed rate,
#                          i.e. CPU per message, and send->delivery p99
#   throughput (step)      the highest passing rate
#   storm                  connections/s over the machine
# The report gives every run, the median of each side and B/A of the medians.
set -euo pipefail

A=
B=
ROUNDS=4
while [ $# -gt 0 ]; do
    case $1 in
    --a) A=$(cd "$2" && pwd); shift 2 ;;
    --b) B=$(cd "$2" && pwd); shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    -h | --help) sed -n '2,/^[^#]/{/^#/!q;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    -*) echo "unknown option: $1" >&2; exit 2 ;;
    *) break ;;
    esac
done
[ -n "$A" ] && [ -n "$B" ] && [ $# -ge 1 ] || { echo "give --a DIR --b DIR SCENARIO (see --help)" >&2; exit 2; }
SCENARIO=$1
shift
cd "$(dirname "$0")"
case $SCENARIO in throughput | storm) ;; *) echo "scenario must be throughput or storm" >&2; exit 2 ;; esac
for d in "$A" "$B"; do
    [ -x "$d/server/sanayicind" ] || { echo "$d/server/sanayicind is missing" >&2; exit 2; }
done
FIXED=0
for a in "$@"; do [ "$a" = --fixed ] && FIXED=1; done

results=${BENCH_RESULTS_DIR:-$PWD/results}
mkdir -p "$results"
report=$results/ab-$SCENARIO-$(date -u +%Y%m%dT%H%M%SZ).txt
{
    echo "bench/ab.sh $SCENARIO $*"
    echo "A: $A (sanayicind built $(date -u -r "$A/server/sanayicind" +%Y-%m-%dT%H:%M:%SZ))"
    echo "B: $B (sanayicind built $(date -u -r "$B/server/sanayicind" +%Y-%m-%dT%H:%M:%SZ))"
    echo "rounds: $ROUNDS, started $(date -u +%Y-%m-%dT%H:%M:%SZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$report"

# Prints the figure(s) of one result file: "value [second value]".
figures() {
    local f=$1 line
    case $SCENARIO in
    storm)
        line=$(grep -m1 '^storm: .* connections/s over the machine' "$f" || true)
        sed -E 's/.*; ([0-9,]+) connections\/s over the machine.*/\1/; s/,//g' <<<"$line"
        ;;
    throughput)
        if [ "$FIXED" -eq 1 ]; then
            local cpu p99
            cpu=$(grep -m1 '^run: CPU over' "$f" | sed -E 's/.*daemon ([0-9.]+) %.*/\1/')
            p99=$(grep -m1 '^run: rate' "$f" | sed -E 's/.*send->delivery p50\/p99\/max [0-9.]+\/([0-9.]+)\/.*/\1/')
            echo "$cpu $p99"
        else
            grep -m1 '^highest rate' "$f" | sed -E 's/.*: ([0-9,]+) msg\/s.*/\1/; s/,//g'
        fi
        ;;
    esac
}

declare -a VA=() VB=() PA=() PB=()
for ((r = 1; r <= ROUNDS; r++)); do
    if ((r % 2)); then order=(A B); else order=(B A); fi
    for side in "${order[@]}"; do
        dir=$A
        [ "$side" = B ] && dir=$B
        out=$(BENCH_BUILD_DIR=$dir ./"$SCENARIO".sh "$@" 2>&1) || true
        file=$(sed -nE 's/.*result: ([^ ]+\.txt).*/\1/p' <<<"$out" | tail -n 1)
        if [ -z "$file" ] || [ ! -f "$file" ]; then
            echo "round $r $side: no result file; last lines:" | tee -a "$report"
            tail -n 5 <<<"$out" | tee -a "$report"
            continue
        fi
        read -r v p <<<"$(figures "$file")"
        if [ -z "$v" ]; then
            echo "round $r $side: no figure in $file" | tee -a "$report"
            continue
        fi
        if [ "$side" = A ]; then VA+=("$v"); PA+=("${p:-}"); else VB+=("$v"); PB+=("${p:-}"); fi
        echo "round $r $side: $v${p:+ (p99 $p ms)}  $file" | tee -a "$report"
    done
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {if (NR==0) print ""; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
ma=$(median "${VA[@]}")
mb=$(median "${VB[@]}")
case $SCENARIO in
storm) what="connections/s (higher is better)" ;;
throughput) if [ "$FIXED" -eq 1 ]; then what="daemon CPU % at the fixed rate (lower is better)"; else what="highest passing msg/s (higher is better)"; fi ;;
esac
{
    echo "median A: $ma, median B: $mb: $what"
    if [ -n "$ma" ] && [ -n "$mb" ]; then
        awk -v a="$ma" -v b="$mb" 'BEGIN {printf "B/A = %.3f\n", b / a}'
    fi
    if [ "$FIXED" -eq 1 ] && [ ${#PA[@]} -gt 0 ] && [ ${#PB[@]} -gt 0 ]; then
        echo "send->delivery p99 median A: $(median "${PA[@]}") ms, B: $(median "${PB[@]}") ms"
    fi
    echo "finished $(date -u +%Y-%m-%dT%H:%M:%SZ); report: $report"
} | tee -a "$report"
