#!/usr/bin/env bash
# Screenshots of the console and the web page, in Turkish and English, with
# real data: starts PostgreSQL and Redis (tests/services/services.sh), three
# sanayicind instances behind the test nginx, fills them with demo data
# (tools/screenshots/seed.mjs: Turkish tradesmen and customers,
# conversations, reports, a banned spammer, an administrator; dead letters
# on the maintenance job queue from a failing worker), keeps demo traffic
# flowing (tools/screenshots/traffic.mjs: WebSockets on loopback,
# stops by itself), then captures
#   - every console view: sanayicin-console --capture under xvfb-run
#     (QT_QPA_PLATFORM=xcb), as <view>-<lang>.png;
#   - the web page (login, search, a conversation) in Chromium
#     (tools/screenshots/web.mjs), as web-<view>-<lang>.png.
# Everything it started is stopped by PID at the end, also on failure.
#
# Usage: tools/screenshots.sh [options]
#   --build DIR        build folder with server/sanayicind and
#                      console/sanayicin-console (default: build, else build-asan)
#   --console PATH     the console binary (default: DIR/console/sanayicin-console)
#   --out DIR          where the PNGs go (default: docs/images)
#   --warmup S         seconds of traffic before the first picture (default 20)
#   --traffic-seconds S  how long the demo traffic may run (default 240)
#   --rate N           demo messages per second on average (default 6)
#   --no-console       only the web page
#   --keep             keep the state folder (logs, demo.json) afterwards
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

build="" console="" out="$root/docs/images" warmup=20 traffic_s=240 rate=6 want_console=1 keep=0
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=${2:?}; shift 2 ;;
    --console) console=${2:?}; shift 2 ;;
    --out) out=${2:?}; shift 2 ;;
    --warmup) warmup=${2:?}; shift 2 ;;
    --traffic-seconds) traffic_s=${2:?}; shift 2 ;;
    --rate) rate=${2:?}; shift 2 ;;
    --no-console) want_console=0; shift ;;
    --keep) keep=1; shift ;;
    -h | --help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "screenshots.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
for n in "$warmup" "$traffic_s" "$rate"; do
    [[ $n =~ ^[0-9]+$ ]] || { echo "screenshots.sh: $n is not a whole number of seconds or messages" >&2; exit 2; }
done
if [ "$traffic_s" -lt 1 ] || [ "$traffic_s" -gt 3600 ] || [ "$rate" -lt 1 ] || [ "$rate" -gt 200 ]; then
    echo "screenshots.sh: --traffic-seconds 1-3600, --rate 1-200" >&2
    exit 2
fi
if [ -z "$build" ]; then
    build=$root/build
    [ -x "$build/server/sanayicind" ] || build=$root/build-asan
fi
daemon=$build/server/sanayicind
[ -n "$console" ] || console=$build/console/sanayicin-console
[ -x "$daemon" ] || { echo "screenshots.sh: no $daemon: build sanayicind first (--build DIR)" >&2; exit 1; }
for tool in node nginx xvfb-run; do
    command -v "$tool" >/dev/null || { echo "screenshots.sh: $tool missing (tools/packages.txt)" >&2; exit 1; }
done
if [ ! -d "$root/tests/browser/node_modules/playwright-core" ]; then
    (cd "$root/tests/browser" && npm ci --no-audit --no-fund --loglevel=error)
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)

state=$(mktemp -d /tmp/sanayicin-screenshots.XXXXXX)
chmod 755 "$state" # PostgreSQL runs as its own user when we are root (services.sh)
log() { printf '[screenshots] %s\n' "$*"; }

# --- stopping what we started, by PID, whatever happens ----------------
names=() pids=() # every process we started, in order
services_up=0
stop_pid() { # NAME PID: SIGTERM, up to 30 s, then SIGKILL
    local name=$1 pid=$2
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 1 300); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    log "$name (pid $pid) still running 30 s after SIGTERM: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    local i
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        stop_pid "${names[i]}" "${pids[i]}"
    done
    if [ "$services_up" -eq 1 ]; then
        "$root/tests/services/services.sh" stop "$state/services" || true
    fi
    if [ "$keep" -eq 1 ] || [ "$rc" -ne 0 ]; then
        log "state, logs and demo.json kept in $state"
    else
        rm -rf "$state"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
track() { names+=("$1"); pids+=("$2"); }

# A port the kernel has free on 127.0.0.1 now.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_ready() { # URL PID LOGFILE
    for _ in $(seq 1 600); do
        curl -sf -m 2 -o /dev/null "$1" && return 0
        kill -0 "$2" 2>/dev/null || { tail -n 20 "$3" >&2; return 1; }
        sleep 0.1
    done
    tail -n 20 "$3" >&2
    return 1
}

# --- services, instances, nginx ----------------------------------------
"$root/tests/services/services.sh" start "$state/services" >"$state/services.log"
services_up=1
# shellcheck disable=SC1091
source "$state/services/env"

# Demo settings: cheap password hashing and the per-address budgets out of
# the way (every demo client is 127.0.0.1); everything else the defaults.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
common=(--database "$SANAYICIN_TEST_PG_URL" --redis "$SANAYICIN_TEST_REDIS_URL"
    --argon2-memory-kib 1024 --argon2-iterations 1
    --register-rate 1000 --register-burst 1000 --login-address-rate 1000 --login-address-burst 1000
    --http-address-rate 10000 --http-address-burst 10000 --conversation-rate 1000 --conversation-burst 1000)
backends=()
for name in ankara istanbul izmir; do
    port=$(free_port)
    mkdir -p "$state/data-$name"
    "$daemon" --listen "127.0.0.1:$port" --instance-id "$name" --data-dir "$state/data-$name" "${common[@]}" \
        >"$state/daemon-$name.log" 2>&1 &
    track "sanayicind-$name" $!
    wait_ready "http://127.0.0.1:$port/readyz" $! "$state/daemon-$name.log" \
        || { echo "screenshots.sh: sanayicind $name did not start" >&2; exit 1; }
    backends+=(--backend "127.0.0.1:$port")
    log "sanayicind $name: pid $!, 127.0.0.1:$port"
done

nginx_port=$(free_port)
"$root/deploy/scripts/render-nginx-test.sh" --dir "$state/nginx" --port "$nginx_port" "${backends[@]}" \
    --web-root "$root/resources/web" >/dev/null
nginx -p "$state/nginx" -c "$state/nginx/nginx.conf"
for _ in $(seq 1 50); do [ -s "$state/nginx/nginx.pid" ] && break; sleep 0.1; done
track nginx "$(cat "$state/nginx/nginx.pid")"
base=http://127.0.0.1:$nginx_port
wait_ready "$base/healthz" "$(cat "$state/nginx/nginx.pid")" "$state/nginx/error.log"
log "nginx: $base"

# --- demo data and traffic ----------------------------------------------
# The customer the web pictures show; the live traffic leaves her chats as
# seeded so that they read as real conversations.
web_user=ayse_yilmaz
export SANAYICIN_CONSOLE_USER=yonetici
SANAYICIN_CONSOLE_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
export SANAYICIN_CONSOLE_PASSWORD
(umask 077; printf '%s' "$SANAYICIN_CONSOLE_PASSWORD" >"$state/admin.pw")
"$daemon" --database "$SANAYICIN_TEST_PG_URL" --argon2-memory-kib 1024 --argon2-iterations 1 \
    user create --username "$SANAYICIN_CONSOLE_USER" --password-file "$state/admin.pw" --admin >"$state/admin.log" 2>&1 \
    || { cat "$state/admin.log" >&2; exit 1; }
node "$root/tools/screenshots/seed.mjs" --base "$base" --out "$state/demo.json"

# A job queue with dead letters for the Queues view, made the way they
# happen: the scheduler puts sessions.purge on the maintenance queue every
# 5 s, and a worker whose database does not answer fails each (one attempt
# allowed); that worker is stopped after the warm-up, so the rest wait.
"$daemon" scheduler --redis "$SANAYICIN_TEST_REDIS_URL" --database "$SANAYICIN_TEST_PG_URL" \
    --purge-interval-s 5 >"$state/scheduler.log" 2>&1 &
track scheduler $!
"$daemon" worker --redis "$SANAYICIN_TEST_REDIS_URL" --database postgresql://nobody@127.0.0.1:1/none \
    --worker-queues maintenance --jobs-max-attempts 1 >"$state/worker-failing.log" 2>&1 &
track worker-failing $!
failing_worker=$!
log "job queues: scheduler and a failing worker (pid $failing_worker) for dead letters"

node --experimental-websocket --no-warnings "$root/tools/screenshots/traffic.mjs" --base "$base" \
    --demo "$state/demo.json" --duration "$traffic_s" --rate "$rate" --calm "$web_user" >"$state/traffic.log" 2>&1 &
track traffic $!
log "demo traffic: pid $!, $rate msg/s for at most $traffic_s s; $warmup s before the first picture"
sleep "$warmup" &
wait $! # (a foreground sleep would hold off the INT/TERM trap until it ends)
stop_pid worker-failing "$failing_worker"

# --- the console ----------------------------------------------------------
failed=() # what did not work; the web pictures are taken all the same
# sanayicin-console --capture DIR --language L --server URL logs in (with
# SANAYICIN_CONSOLE_USER / SANAYICIN_CONSOLE_PASSWORD), shows every view,
# waits for its data and saves DIR/<view>-<lang>.png.
if [ "$want_console" -eq 1 ]; then
    if [ -x "$console" ] && QT_QPA_PLATFORM=offscreen "$console" --help 2>/dev/null | grep -q -- '--capture'; then
        for lang in tr en; do
            log "console in $lang"
            if ! QT_QPA_PLATFORM=xcb timeout 300 xvfb-run -a -s "-screen 0 1600x1000x24 -nolisten tcp" \
                "$console" --capture "$out" --language "$lang" --server "$base" >"$state/console-$lang.log" 2>&1; then
                tail -n 5 "$state/console-$lang.log" >&2
                failed+=("console capture in $lang (log: $state/console-$lang.log)")
            fi
        done
    else
        log "NOTE: no console with --capture at $console: console pictures skipped (build sanayicin-console, or --no-console)"
    fi
fi

# --- the web page -------------------------------------------------------
node "$root/tools/screenshots/web.mjs" --base "$base" --demo "$state/demo.json" --out "$out" --user "$web_user"

log "traffic: $(tail -n 1 "$state/traffic.log")"
log "pictures in $out: $(find "$out" -maxdepth 1 -name '*.png' -printf '%f\n' | sort | tr '\n' ' ')"
if [ ${#failed[@]} -gt 0 ]; then
    printf 'screenshots.sh: failed: %s\n' "${failed[@]}" >&2
    exit 1
fi
