#!/usr/bin/env bash
# bench/jobs-memory.sh: the resident memory of `sanayicind worker`, of
# `sanayicind scheduler` (both on Redis) and of an embedded instance (no
# Redis: its own worker and scheduler on the database's job table), idle and
# under a job load, for the units' MemoryMax (docs/operations.md "Sizing";
# the numbers in docs/benchmarks.md).
#
# Each process runs on a fresh PostgreSQL database with:
#   --recipients N offline users with 3 unread messages each, so that every
#                  webhook.notify job reads them and POSTs one signed body
#                  to a slow local receiver (--delay-ms per request,
#                  threaded: every job in flight waits at once)
#   --old N        messages 40 days old in 1,000 conversations, which one
#                  messages.retention job (--retention-days 30) deletes,
#                  lowering the unread counts batch by batch
# Phases, each sampled every 0.2 s from /proc/PID/status (VmRSS, RssAnon,
# VmHWM): idle (--idle-s), N webhook.notify jobs enqueued at once until the
# receiver has had them all, then the retention job until the messages are
# gone (an embedded instance's own scheduler starts the retention at once:
# there it comes first). The scheduler runs with every interval at 1 s (its load is its
# enqueues). Prints a table and writes bench/results/DATE/jobs-memory-*.txt.
#
# Usage: bench/jobs-memory.sh --build DIR --services STATE [options]
#   --build DIR          a Release build folder (server/sanayicind)
#   --services STATE     a folder of tests/services/services.sh start STATE
#   --recipients N       default 5000
#   --old N              default 1000000
#   --concurrency N      --worker-concurrency (default 4, the unit's)
#   --delay-ms N         the receiver's delay per request (default 200)
#   --idle-s S           default 15
set -euo pipefail
shopt -s inherit_errexit

BUILD=
SERVICES=
RECIPIENTS=5000
OLD=1000000
CONCURRENCY=4
DELAY_MS=200
IDLE_S=15
while [ $# -gt 0 ]; do
    case $1 in
    --build) BUILD=$(cd "$2" && pwd); shift 2 ;;
    --services) SERVICES=$(cd "$2" && pwd); shift 2 ;;
    --recipients) RECIPIENTS=$2; shift 2 ;;
    --old) OLD=$2; shift 2 ;;
    --concurrency) CONCURRENCY=$2; shift 2 ;;
    --delay-ms) DELAY_MS=$2; shift 2 ;;
    --idle-s) IDLE_S=$2; shift 2 ;;
    -h | --help) sed -n '2,/^[^#]/{/^#/!q;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
done
[ -n "$BUILD" ] && [ -n "$SERVICES" ] || { echo "give --build DIR --services STATE (see --help)" >&2; exit 2; }
DAEMON=$BUILD/server/sanayicind
[ -x "$DAEMON" ] || { echo "missing $DAEMON" >&2; exit 2; }
# shellcheck disable=SC1091
. "$SERVICES/env"
REPO=$(cd "$(dirname "$0")/.." && pwd)
REDIS_PORT=${SANAYICIN_TEST_REDIS_URL##*:}
REDIS_PORT=${REDIS_PORT%%/*}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT_DIR=$REPO/bench/results/$(date -u +%Y-%m-%d)
mkdir -p "$OUT_DIR"
RESULT=$OUT_DIR/jobs-memory-$STAMP.txt
STATE=$(mktemp -d /var/tmp/sanayicin-jobs-memory.XXXXXX)
PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [ -n "${KEEP:-}" ] || rm -rf "$STATE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
pg() { psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }
redis() { redis-cli -p "$REDIS_PORT" "$@"; }

# The slow receiver: counts requests, answers 204 after the delay.
RECEIVER_PORT=$(free_port)
cat >"$STATE/receiver.py" <<EOF
import http.server, socketserver, time, sys
count = 0
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        global count
        self.rfile.read(int(self.headers.get('Content-Length', 0)))
        time.sleep($DELAY_MS / 1000)
        self.send_response(204); self.end_headers()
        count += 1
        open('$STATE/received', 'w').write(str(count))
    def log_message(self, *a): pass
class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    request_queue_size = 1024
S(('127.0.0.1', $RECEIVER_PORT), H).serve_forever()
EOF
python3 "$STATE/receiver.py" &
PIDS+=($!)
head -c 32 /dev/urandom | base64 >"$STATE/secret"
echo 0 >"$STATE/received"
BASE=0

# fresh_db NAME: a migrated database with the recipients and the old messages.
fresh_db() {
    local db=$1 url
    pg "$SANAYICIN_TEST_PG_ADMIN" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" 2>/dev/null
    url=${SANAYICIN_TEST_PG_URL%/*}/$db
    "$DAEMON" migrate --database "$url" --log-level warning >"$STATE/migrate-$db.log" 2>&1
    pg "$url" >/dev/null <<EOF
\set n $RECIPIENTS
\set old $OLD
-- Users 1..n are recipients, n+1..2n their senders; n+1 to n+1000 also
-- hold the old messages (with users 2n+1..2n+1000).
INSERT INTO users (id, username, display_name, role, password_hash, created_at)
SELECT i, 'u' || i, 'User ' || i, 'customer', 'x', 0 FROM generate_series(1, 2 * :n + 1000) i;
INSERT INTO conversations (id, user_a, user_b, created_at, last_seq, last_message_id)
SELECT i, i, :n + i, 0, 3, 0 FROM generate_series(1, :n) i;
INSERT INTO conversations (id, user_a, user_b, created_at, last_seq, last_message_id)
SELECT :n + i, :n + i, 2 * :n + i, 0, :old / 1000, 0 FROM generate_series(1, 1000) i;
INSERT INTO participants (conversation_id, user_id, peer_id, unread_count)
SELECT c.id, c.user_a, c.user_b, CASE WHEN c.id <= :n THEN 3 ELSE :old / 1000 END FROM conversations c
UNION ALL
SELECT c.id, c.user_b, c.user_a, 0 FROM conversations c;
-- The old messages first (ids in time order), from the conversations' user_b.
INSERT INTO messages (id, conversation_id, seq, sender_id, client_msg_id, body, created_at)
SELECT g, :n + 1 + (g - 1) % 1000, (g - 1) / 1000 + 1, 2 * :n + 1 + (g - 1) % 1000, 'o' || g,
       'an old message of some length, like most are', (extract(epoch FROM now()) * 1000)::bigint - 40::bigint * 86400000
FROM generate_series(1, :old) g;
INSERT INTO messages (id, conversation_id, seq, sender_id, client_msg_id, body, created_at)
SELECT :old + (c - 1) * 3 + k, c, k, :n + c, 'n' || c || '-' || k, 'are you there? message ' || k,
       (extract(epoch FROM now()) * 1000)::bigint
FROM generate_series(1, :n) c, generate_series(1, 3) k;
UPDATE id_counters SET value = :old + 3 * :n WHERE name = 'message';
SELECT setval(pg_get_serial_sequence('users', 'id'), 2 * :n + 1000);
SELECT setval(pg_get_serial_sequence('conversations', 'id'), :n + 1000);
ANALYZE users; ANALYZE conversations; ANALYZE participants; ANALYZE messages;
EOF
    echo "$url"
}

# sample PID FILE: VmRSS, RssAnon, VmHWM (kB) every 0.2 s until PID ends.
sample() {
    local pid=$1 file=$2
    while [ -r "/proc/$pid/status" ]; do
        awk -v t="$(date +%s.%N)" '/^VmRSS/ {r = $2} /^RssAnon/ {a = $2} /^VmHWM/ {h = $2}
            END {if (r) printf "%.1f %d %d %d\n", t, r, a, h}' "/proc/$pid/status" >>"$file" 2>/dev/null || true
        sleep 0.2
    done
}
mark() { echo "$(date +%s.%N) $1" >>"$STATE/$2.marks"; }

# stats NAME: per phase (between marks), max VmRSS and RssAnon (MiB), and VmHWM at its end.
stats() {
    local name=$1
    awk -v name="$name" '
        FNR == NR { mt[++m] = $1; mn[m] = $2; next }
        { for (i = m; i >= 1; --i) if ($1 >= mt[i]) break
          if (i < 1) next
          if ($2 > r[i]) r[i] = $2; if ($3 > a[i]) a[i] = $3; h[i] = $4 }
        END { for (i = 1; i <= m; ++i) if (r[i])
              printf "%-10s %-14s max VmRSS %6.1f MiB, max RssAnon %6.1f MiB, VmHWM %6.1f MiB\n",
                     name, mn[i], r[i] / 1024, a[i] / 1024, h[i] / 1024 }' \
        "$STATE/$name.marks" "$STATE/$name.samples"
}

wait_for() { # PID SECONDS COMMAND...: until the command succeeds, while PID lives
    local pid=$1 deadline=$((SECONDS + $2))
    shift 2
    until "$@"; do
        kill -0 "$pid" 2>/dev/null || { echo "process $pid ended while waiting for: $*" >&2; return 1; }
        [ $SECONDS -lt $deadline ] || { echo "timed out: $*" >&2; return 1; }
        sleep 0.5
    done
}
# The receiver counts from its start: a phase waits for its own N more.
received_all() { [ "$(cat "$STATE/received")" -ge $((BASE + $1)) ] 2>/dev/null; }
old_gone() { [ "$(pg "$1" -c "SELECT count(*) FROM messages WHERE id <= $OLD")" = 0 ]; }

COMMON=(--log-level warning --redis "$SANAYICIN_TEST_REDIS_URL"
    --notify-webhook-url "http://127.0.0.1:$RECEIVER_PORT/hook"
    --notify-webhook-secret-file "$STATE/secret" --retention-days 30
    --worker-concurrency "$CONCURRENCY")

# The worker on Redis.
redis FLUSHDB >/dev/null
URL=$(fresh_db ops_jobs_memory_worker)
"$DAEMON" worker --database "$URL" "${COMMON[@]}" --data-dir "$STATE" >"$STATE/worker.log" 2>&1 &
W=$!
PIDS+=("$W")
mark idle worker
sample "$W" "$STATE/worker.samples" &
sleep "$IDLE_S"
mark notify worker
BASE=$(cat "$STATE/received")
ENQUEUE=$(redis SCRIPT LOAD "$(cat "$REPO/resources/redis/jobs_enqueue.lua")")
for ((u = 1; u <= RECIPIENTS; u++)); do
    printf "EVALSHA %s 0 notify webhook.notify '{\"userId\":%d}' '' 0 0\n" "$ENQUEUE" "$u"
done | redis >/dev/null
START=$SECONDS
wait_for "$W" 1800 received_all "$RECIPIENTS"
NOTIFY_S=$((SECONDS - START))
mark retention worker
START=$SECONDS
redis EVALSHA "$ENQUEUE" 0 maintenance messages.retention '{}' '' 0 0 >/dev/null
wait_for "$W" 1800 old_gone "$URL"
RETENTION_S=$((SECONDS - START))
mark after worker
sleep 3
UNREAD_OK=$(pg "$URL" -c "SELECT count(*) FROM participants p WHERE unread_count <> (SELECT count(*) FROM messages m WHERE m.conversation_id = p.conversation_id AND m.seq > p.last_read_seq AND m.sender_id <> p.user_id AND m.deleted_at IS NULL)")
kill -TERM "$W"
wait "$W" || true

# The scheduler on Redis, every schedule at 1 s.
redis FLUSHDB >/dev/null
"$DAEMON" scheduler --database "$URL" "${COMMON[@]}" --data-dir "$STATE" \
    --purge-interval-s 1 --rollup-interval-s 1 >"$STATE/scheduler.log" 2>&1 &
S=$!
PIDS+=("$S")
mark first-s scheduler
sample "$S" "$STATE/scheduler.samples" &
sleep "$IDLE_S"
mark later scheduler
sleep $((IDLE_S * 2))
mark end scheduler
ENQUEUED=$(redis XLEN sanayicin:jobs:maintenance:stream)
kill -TERM "$S"
wait "$S" || true

# An embedded instance: no Redis, jobs in the database's table.
URL=$(fresh_db ops_jobs_memory_embedded)
EMB=("${COMMON[@]}")
EMB=("${EMB[@]:0:2}" "${EMB[@]:4}") # without --redis URL
PORT=$(free_port)
"$DAEMON" --listen "127.0.0.1:$PORT" --database "$URL" "${EMB[@]}" --data-dir "$STATE" --threads 2 \
    >"$STATE/embedded.log" 2>&1 &
E=$!
PIDS+=("$E")
# Its scheduler puts the maintenance jobs on at once: retention first.
mark retention embedded
sample "$E" "$STATE/embedded.samples" &
START=$SECONDS
wait_for "$E" 1800 old_gone "$URL"
E_RETENTION_S=$((SECONDS - START))
wait_for "$E" 120 curl -sf -m 2 "http://127.0.0.1:$PORT/readyz" -o /dev/null
mark idle embedded
sleep "$IDLE_S"
mark notify embedded
BASE=$(cat "$STATE/received")
pg "$URL" -c "INSERT INTO jobs (queue, type, payload, run_at, enqueued_at)
              SELECT 'notify', 'webhook.notify', '{\"userId\":' || u || '}', 0, 0 FROM generate_series(1, $RECIPIENTS) u"
START=$SECONDS
wait_for "$E" 1800 received_all "$RECIPIENTS"
E_NOTIFY_S=$((SECONDS - START))
mark after embedded
sleep 3
kill -TERM "$E"
wait "$E" || true

{
    echo "jobs memory, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "build: $BUILD (tree at $(git -C "$REPO" rev-parse --short HEAD) when run); $RECIPIENTS webhook.notify jobs (3 unread each) to a receiver answering after $DELAY_MS ms; worker-concurrency $CONCURRENCY; retention of $OLD messages 40 days old"
    echo "worker (Redis): notify took $NOTIFY_S s, retention $RETENTION_S s; participants whose unread count differs from a fresh count afterwards: $UNREAD_OK"
    echo "scheduler (Redis): $ENQUEUED maintenance jobs enqueued while running"
    echo "embedded instance (no Redis): notify took $E_NOTIFY_S s, retention $E_RETENTION_S s"
    echo
    stats worker
    stats scheduler
    stats embedded
} | tee "$RESULT"
echo "result: $RESULT"
