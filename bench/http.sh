#!/usr/bin/env bash
# bench/http.sh: latency of the HTTP API at a paced rate, with wrk (Debian's
# wrk 4.1) and bench/wrk/endpoint.lua, on one instance.
#
# Seeds through the API first (bench/http-seed.py): a user with ~50
# conversations, the first holding ~200 messages; ~2,000 tradesmen with
# Turkish profiles. Then, per endpoint, a short warm-up and a measured run at
# --rate requests/s (bearer token of the seeded user):
#   history        GET /api/v1/conversations/{id}/messages?limit=50 (newest page)
#   history-older  the same with before_id (older pages, not the newest)
#   conversations  GET /api/v1/conversations (the user's ~50, newest first)
#   directory      GET /api/v1/tradesmen?q=... (Turkish words, both cases)
#   login          POST /api/v1/auth/login (tradesmen in turn; password
#                  hashing at the benchmark's cost, --argon2-memory-kib 64
#                  --argon2-iterations 1, unless --production-hashing)
# Reported from wrk's latency distribution: p50/p90/p95/p99/max, requests/s
# reached, errors (non-2xx answers count as status errors). Target: history
# and conversation list p95 < 5 ms at 2,000 requests/s.
#
# Usage: bench/http.sh [options]
#   --rate R            requests/s per endpoint (default 2000)
#   --login-rate R      requests/s for login (default: --rate)
#   --duration S        seconds measured per endpoint (default 30)
#   --warmup S          seconds of warm-up per endpoint (default 5)
#   --endpoints LIST    default history,history-older,conversations,directory,login
#   --connections N     wrk -c (default 64)
#   --wrk-threads N     wrk -t (default 1)
#   --tradesmen N       (default 2000)   --conversations N (default 50)
#   --history N         messages in the history conversation (default 200)
#   --production-hashing  the daemon's default argon2 cost (19 MiB, 2 passes)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

RATE=2000
LOGIN_RATE=
DURATION=30
WARMUP=5
ENDPOINTS=history,history-older,conversations,directory,login
WCONN=64
WTHREADS=1
TRADESMEN=2000
CONVS=50
HISTORY=200
PROD_HASH=0
while [ $# -gt 0 ]; do
    case $1 in
    --rate) RATE=$2; shift 2 ;;
    --login-rate) LOGIN_RATE=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --endpoints) ENDPOINTS=$2; shift 2 ;;
    --connections) WCONN=$2; shift 2 ;;
    --wrk-threads) WTHREADS=$2; shift 2 ;;
    --tradesmen) TRADESMEN=$2; shift 2 ;;
    --conversations) CONVS=$2; shift 2 ;;
    --history) HISTORY=$2; shift 2 ;;
    --production-hashing) PROD_HASH=1; shift ;;
    *) bench_unknown_opt "$@"; shift "$BENCH_SHIFT" ;;
    esac
done
LOGIN_RATE=${LOGIN_RATE:-$RATE}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }

bench_begin http
bench_build
bench_start_postgres
bench_create_db sanayicin
section "daemon"
hash_args=()
[ "$PROD_HASH" -eq 1 ] && hash_args=(--argon2-memory-kib 19456 --argon2-iterations 2)
bench_start_daemon one "$(pg_url sanayicin)" none "${hash_args[@]}"
API=http://127.0.0.1:$DAEMON_PORT

section "seed through the API"
SEED=$BENCH_STATE/seed
bench_run seed 900 python3 "$BENCH_DIR/http-seed.py" --api "$API" --out "$SEED" \
    --tradesmen "$TRADESMEN" --conversations "$CONVS" --history "$HISTORY"
cat "$BENCH_STATE/seed.out" | res
[ "$BENCH_RC" -eq 0 ] || die "seeding failed: $(err_relative seed | tail -n 5)"
summary "seed: $(cat "$BENCH_STATE/seed.out")"
# shellcheck disable=SC1090
source "$SEED.env"

# What each endpoint answers, once, before the load (status, size, items).
section "one request per endpoint"
check() { # LABEL curl-args...
    local label=$1
    shift
    local out code
    out=$(curl -s -m 10 -o "$BENCH_STATE/check.json" -w '%{http_code} %{size_download} %{time_total}' "$@")
    code=${out%% *}
    local items
    items=$(jq -r 'if .items then "\(.items | length) items\(if .total then ", total \(.total)" else "" end)" elif .token then "a token" else "" end' "$BENCH_STATE/check.json" 2>/dev/null || true)
    res "$label: HTTP $out s; $items"
    [ "$code" -ge 200 ] && [ "$code" -lt 300 ] || summary "WARNING: $label answered $code: $(head -c 300 "$BENCH_STATE/check.json")"
}
AUTH=(-H "Authorization: Bearer $SEED_TOKEN")
check history "${AUTH[@]}" "$API/api/v1/conversations/$SEED_HISTORY_CONV/messages?limit=50"
check history-older "${AUTH[@]}" "$API/api/v1/conversations/$SEED_HISTORY_CONV/messages?limit=50&before_id=$SEED_BEFORE"
check conversations "${AUTH[@]}" "$API/api/v1/conversations"
check directory "${AUTH[@]}" "$API/api/v1/tradesmen?q=%C3%A7ilingir"
check directory-upper "${AUTH[@]}" "$API/api/v1/tradesmen?q=ELEKTR%C4%B0K%C3%87%C4%B0"
check login -H 'Content-Type: application/json' \
    -d "{\"username\":\"$SEED_USERNAME\",\"password\":\"$SEED_PASSWORD\"}" "$API/api/v1/auth/login"

IFS=, read -r -a endpoint_list <<<"$ENDPOINTS"
for ep in "${endpoint_list[@]}"; do
    r=$RATE
    [ "$ep" = login ] && r=$LOGIN_RATE
    export BENCH_ENDPOINT=$ep BENCH_RATE=$r BENCH_THREADS=$WTHREADS BENCH_SEED=$SEED.lua
    section "wrk: $ep at $r requests/s"
    res "environment: BENCH_ENDPOINT=$ep BENCH_RATE=$r BENCH_THREADS=$WTHREADS BENCH_SEED=$SEED.lua"
    if [ "$WARMUP" -gt 0 ]; then
        bench_run "$ep-warmup" $((WARMUP + 60)) wrk -t "$WTHREADS" -c "$WCONN" -d "${WARMUP}s" --timeout 5s \
            -s "$BENCH_DIR/wrk/endpoint.lua" "$API"
        res "(warm-up, not counted: $(grep -o '"rate":[0-9.]*' "$BENCH_STATE/$ep-warmup.out" || echo no report))"
    fi
    cpu_mark
    bench_run "$ep" $((DURATION + 60)) wrk -t "$WTHREADS" -c "$WCONN" -d "${DURATION}s" --timeout 5s --latency \
        -s "$BENCH_DIR/wrk/endpoint.lua" "$API"
    cpu_report "$ep"
    res "exit code: $BENCH_RC"
    cat "$BENCH_STATE/$ep.out" | res
    err_relative "$ep" | res
    j=$(sed -n 's/^BENCH_JSON //p' "$BENCH_STATE/$ep.out")
    if [ -z "$j" ]; then
        summary "$ep: wrk gave no report (exit code $BENCH_RC)"
        continue
    fi
    echo "$j" >"$BENCH_STATE/$ep.json"
    line=$(jq -r '"\(.endpoint): \(.rate | floor) requests/s of \(.target_rate) targeted, \(.requests) requests; latency p50 \(.latency_us.p50 / 1000) ms, p90 \(.latency_us.p90 / 1000), p95 \(.latency_us.p95 / 1000), p99 \(.latency_us.p99 / 1000), max \(.latency_us.max / 1000) ms; errors \(.errors | tostring)"' "$BENCH_STATE/$ep.json")
    jq -e '.rate < 0.95 * .target_rate' "$BENCH_STATE/$ep.json" >/dev/null && line+=" (BELOW THE TARGET RATE: the daemon or wrk could not keep up)"
    jq -e '(.errors | add) > 0' "$BENCH_STATE/$ep.json" >/dev/null && line+=" (ERRORS)"
    summary "$line"
done
section "daemon counters"
daemon_metrics "$DAEMON_PORT" '^sanayicin_http_requests_total' | res
res "daemon RSS now: $(rss_now "$DAEMON_PID") KiB"
summary "targets: history and conversation list p95 < 5 ms at 2,000 requests/s"
bench_finish
