#!/usr/bin/env bash
# bench/db-poll-cost.sh: what Db::stillConnected's zero-timeout poll() (one
# per PostgreSQL statement, server/storage/db.cpp) costs per message.
# bench/instructions-ab.sh cannot see it: it runs on SQLite, where the check
# is skipped, and callgrind counts no kernel time.
#
# The daemon (one build) on a fresh PostgreSQL database, 2 network threads,
# with --connections C sending --rate R messages/s in all, for --short and
# --long seconds (marginal = the difference of the two runs over the
# difference in messages, so start-up and stopping cancel out):
#   polls:  under strace (poll/ppoll only), the zero-timeout polls of one
#           descriptor (the check's own signature) per message
#   cpu:    without strace, the process's CPU time (all threads'
#           /proc/PID/task/*/schedstat) per message
# and one zero-timeout poll() of an idle loopback TCP socket, timed
# (bench/db-poll-cost/poll_cost.c, 2,000,000 calls, 3 times).
#
# Usage: bench/db-poll-cost.sh --build DIR --services STATE [--rate R]
#        [--connections C] [--short S] [--long S]
#   --build DIR       a Release build folder (server/sanayicind, tools/loadgen)
#   --services STATE  a folder of tests/services/services.sh start STATE
#   defaults: --rate 20 --connections 2 --short 10 --long 30
set -euo pipefail
shopt -s inherit_errexit

BUILD=
SERVICES=
RATE=20
CONNS=2
SHORT=10
LONG=30
while [ $# -gt 0 ]; do
    case $1 in
    --build) BUILD=$(cd "$2" && pwd); shift 2 ;;
    --services) SERVICES=$(cd "$2" && pwd); shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --connections) CONNS=$2; shift 2 ;;
    --short) SHORT=$2; shift 2 ;;
    --long) LONG=$2; shift 2 ;;
    -h | --help) sed -n '2,/^[^#]/{/^#/!q;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
done
[ -n "$BUILD" ] && [ -n "$SERVICES" ] || { echo "give --build DIR --services STATE (see --help)" >&2; exit 2; }
DAEMON=$BUILD/server/sanayicind
LOADGEN=$BUILD/tools/loadgen/sanayicin-loadgen
for f in "$DAEMON" "$LOADGEN"; do [ -x "$f" ] || { echo "missing $f" >&2; exit 2; }; done
command -v strace >/dev/null || { echo "strace is missing" >&2; exit 2; }
# shellcheck disable=SC1091
. "$SERVICES/env"
REPO=$(cd "$(dirname "$0")/.." && pwd)
# The benchmark settings only (cheap hashing, no rate limits).
eval "$(sed -n '/^BENCH_DAEMON_BASE=(/,/)$/p' "$REPO/bench/lib.sh")"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT_DIR=$REPO/bench/results/$(date -u +%Y-%m-%d)
mkdir -p "$OUT_DIR"
RESULT=$OUT_DIR/db-poll-cost-$STAMP.txt
STATE=$(mktemp -d /var/tmp/sanayicin-db-poll.XXXXXX)
PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$STATE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# run MODE SECONDS: prints "messages polls" (MODE polls) or "messages cpu-ns" (MODE cpu).
run() {
    local mode=$1 dur=$2 dir db url port wrap pid ready=0 n
    dir=$STATE/$mode-$dur
    db=db_poll_cost_$mode$dur
    mkdir -p "$dir"
    psql -X -q "$SANAYICIN_TEST_PG_ADMIN" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" 2>/dev/null
    url=${SANAYICIN_TEST_PG_URL%/*}/$db
    "$DAEMON" migrate --database "$url" --log-level warning >"$dir/migrate.log" 2>&1
    port=$(free_port)
    wrap=(env)
    # shellcheck disable=SC2054 # the commas are strace's
    [ "$mode" = polls ] && wrap=(strace -f -qq -e trace=poll,ppoll -o "$dir/strace.txt")
    "${wrap[@]}" "$DAEMON" --listen "127.0.0.1:$port" --database "$url" --data-dir "$dir" \
        "${BENCH_DAEMON_BASE[@]}" --threads 2 >"$dir/daemon.log" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    for _ in $(seq 1 240); do
        curl -sf -m 2 "http://127.0.0.1:$port/readyz" >/dev/null && { ready=1; break; }
        sleep 0.5
    done
    [ $ready = 1 ] || { echo "the daemon did not start: $(tail -n 3 "$dir/daemon.log")" >&2; exit 1; }
    timeout 600 "$LOADGEN" --threads 1 --url "ws://127.0.0.1:$port/ws" --connections "$CONNS" \
        --users "$CONNS" --rate "$RATE" --warmup 1 --duration "$dur" --json \
        >"$dir/loadgen.json" 2>"$dir/loadgen.err"
    n=$(jq -r .sent "$dir/loadgen.json")
    if [ "$mode" = cpu ]; then
        echo "$n $(cat /proc/"$pid"/task/*/schedstat | awk '{s += $1} END {print s}')"
        kill -TERM "$pid"
    else
        kill -TERM "$(pgrep -P "$pid")"
    fi
    wait "$pid" || true
    [ "$mode" = polls ] && echo "$n $(grep -c 'poll(\[{fd=[0-9]*, events=POLLIN}\], 1, 0)' "$dir/strace.txt")"
    return 0
}

{
    echo "db poll cost, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "build: $BUILD ($(git -C "$REPO" rev-parse --short HEAD)); $CONNS connections, $RATE messages/s, ${SHORT} s and ${LONG} s"
} | tee "$RESULT"
read -r n1 p1 < <(run polls "$SHORT")
read -r n2 p2 < <(run polls "$LONG")
read -r m1 c1 < <(run cpu "$SHORT")
read -r m2 c2 < <(run cpu "$LONG")
cc -O2 -o "$STATE/poll_cost" "$REPO/bench/db-poll-cost/poll_cost.c"
costs=$(for _ in 1 2 3; do "$STATE/poll_cost" 2000000; done | awk '{print $5}' | sort -n | tr '\n' ' ')
median=$(echo "$costs" | awk '{print $2}')
{
    echo "zero-timeout polls: $n1 messages $p1, $n2 messages $p2 -> $(awk -v a="$p1" -v b="$p2" -v x="$n1" -v y="$n2" 'BEGIN {printf "%.3f", (b - a) / (y - x)}') per message"
    echo "cpu: $m1 messages $c1 ns, $m2 messages $c2 ns -> $(awk -v a="$c1" -v b="$c2" -v x="$m1" -v y="$m2" 'BEGIN {printf "%.1f", (b - a) / (y - x) / 1000}') us per message"
    echo "one zero-timeout poll() of an idle TCP socket: $costs ns (median $median)"
    awk -v a="$p1" -v b="$p2" -v x="$n1" -v y="$n2" -v c1="$c1" -v c2="$c2" -v m1="$m1" -v m2="$m2" -v ns="$median" \
        'BEGIN {pm = (b - a) / (y - x); cpm = (c2 - c1) / (m2 - m1);
                printf "the check per message: %.2f us, %.2f %% of the daemon'"'"'s CPU per message\n", pm * ns / 1000, 100 * pm * ns / cpm}'
} | tee -a "$RESULT"
echo "result: $RESULT"
