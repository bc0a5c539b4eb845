#!/usr/bin/env bash
# Checks every file under deploy/ with the tool that reads it, as far as this
# machine allows, without root and without touching the system's services:
# everything it starts runs as an unprivileged user (nobody when started as
# root), listens on 127.0.0.1 on a free port, lives in one temp folder, and
# is stopped by its PID at the end.
#
#   check-configs.sh [--daemon PATH] [--no-live] [--strict] [--keep]
#
#   --daemon PATH  sanayicind to use for the live checks (default: the newest
#                  build/*/server/sanayicind); without one they are skipped
#   --no-live      only static checks (no daemon, nginx, PostgreSQL, Redis,
#                  pgBouncer started)
#   --strict       a missing tool fails its check instead of skipping it
#   --keep         keep the temp folder (logs, rendered configs) afterwards
#
# Static: shellcheck (scripts), systemd-analyze verify (units), nginx -t
# (production site with a throw-away certificate, and the loopback test
# variant), the daemon reading the shipped INI and env files, monit -t,
# promtool (Prometheus config, alert rules and their unit tests, every
# dashboard query), jq (dashboard JSON), sysctl keys known to the kernel.
# Live: PostgreSQL started with the conf.d snippet; pgBouncer with the shipped
# ini in front of it and the daemon migrating and serving through it in
# transaction mode; Redis with the shipped redis.conf; nginx's test variant
# in front of a daemon (page, assets, headers, WebSocket upgrade, the page in
# Chromium under the CSP when tests/browser has Playwright, 413, drain on
# SIGTERM, JSON 503); backup.sh dump and restore-test.
#
# Ends with "N passed, N failed, N skipped"; exits 1 when any check failed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
deploy=$(cd "$here/.." && pwd)
repo=$(cd "$deploy/.." && pwd)

daemon="" live=1 strict=0 keep=0
while [ $# -gt 0 ]; do
    case $1 in
    --daemon) daemon=${2:?}; shift 2 ;;
    --no-live) live=0; shift ;;
    --strict) strict=1; shift ;;
    --keep) keep=1; shift ;;
    -h | --help) sed -n '2,27p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "check-configs.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
if [ -z "$daemon" ]; then
    daemon=$(find "$repo" -maxdepth 3 -path "$repo/build*/server/sanayicind" -type f -printf '%T@ %p\n' 2>/dev/null |
        sort -rn | head -n 1 | cut -d' ' -f2- || true)
fi
if [ -n "$daemon" ]; then
    daemon=$(cd "$(dirname "$daemon")" && pwd)/$(basename "$daemon")
fi

work=$(mktemp -d /tmp/sanayicin-check.XXXXXX)
chmod 0755 "$work"
runner=()
if [ "$(id -u)" -eq 0 ]; then
    # PostgreSQL and pgBouncer refuse to run as root; run everything the same way.
    # setpriv execs (no process in between), so a PID we record is the
    # program's own and a signal reaches it directly.
    runner=(setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME="$work")
    chown nobody "$work"
fi
as_user() { "${runner[@]}" "$@"; }
mkdir_user() { as_user mkdir -p "$@"; }

pidfiles=()
cleanup() {
    local f pid
    for f in "${pidfiles[@]}"; do
        [ -f "$f" ] || continue
        pid=$(head -n 1 "$f" 2>/dev/null || true)
        if [[ $pid =~ ^[0-9]+$ ]]; then kill "$pid" 2>/dev/null || true; fi
    done
    if [ -n "${pg_data:-}" ] && [ -f "$pg_data/postmaster.pid" ]; then
        as_user "$pgbin/pg_ctl" -D "$pg_data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [ "$keep" -eq 1 ]; then
        echo "kept $work"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

passed=0 failed=0 skipped=0
pass() { passed=$((passed + 1)); printf 'PASS  %-22s %s\n' "$1" "${2:-}"; }
fail() { failed=$((failed + 1)); printf 'FAIL  %-22s %s\n' "$1" "${2:-}"; }
skip() {
    if [ "$strict" -eq 1 ] && [ "${2:-}" != "--no-live" ]; then
        fail "$1" "(strict) ${2:-}"
    else
        skipped=$((skipped + 1)); printf 'SKIP  %-22s %s\n' "$1" "${2:-}"
    fi
}
have() { command -v "$1" >/dev/null 2>&1; }
# Shows the tail of a log under a failed check.
show() { [ -f "$1" ] && sed 's/^/      | /' "$1" | tail -n "${2:-15}"; return 0; }

free_port() {
    local p
    for _ in $(seq 1 200); do
        p=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return
        fi
    done
    echo "no free port found" >&2
    return 1
}

wait_port() { # port [tries of 0.1 s]
    for _ in $(seq 1 "${2:-100}"); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# Starts "$@" in the background as the unprivileged user, its output in
# $log; records the PID in $pidfile for the cleanup. Sets started_pid.
start_bg() { # pidfile log command...
    local pidfile=$1 log=$2
    shift 2
    "${runner[@]}" "$@" >"$log" 2>&1 &
    started_pid=$!
    echo "$started_pid" >"$pidfile"
    pidfiles+=("$pidfile")
}

# Starts sanayicind (as start_bg) on a free port, trying another port when
# someone else took the chosen one first. Sets daemon_port and started_pid.
start_daemon() { # folder name daemon-args...
    local dir=$1 name=$2 port
    shift 2
    for _ in 1 2 3; do
        port=$(free_port)
        start_bg "$dir/$name.pid" "$dir/$name.log" env QT_ENABLE_REGEXP_JIT=0 "$daemon" "$@" \
            --listen "127.0.0.1:$port"
        if wait_port "$port" 150 && sleep 0.2 && kill -0 "$started_pid" 2>/dev/null; then
            daemon_port=$port
            return 0
        fi
        kill "$started_pid" 2>/dev/null || true
        wait "$started_pid" 2>/dev/null || true
    done
    return 1
}

http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" || true; }

# ---- shell scripts ------------------------------------------------------------------
check_shellcheck() {
    if ! have shellcheck; then skip shellcheck "shellcheck not installed (apt-get install shellcheck)"; return; fi
    local out
    if out=$(shellcheck "$deploy"/scripts/*.sh 2>&1); then
        pass shellcheck "$(cd "$deploy/scripts" && echo *.sh)"
    else
        fail shellcheck; printf '%s\n' "$out" | sed 's/^/      | /'
    fi
}

# ---- systemd ----------------------------------------------------------------------
check_systemd() {
    if ! have systemd-analyze; then skip systemd "systemd-analyze not found"; return; fi
    local d=$work/systemd out
    mkdir -p "$d"
    cp "$deploy"/systemd/*.service "$deploy"/systemd/*.target "$deploy"/systemd/*.timer "$d/"
    # verify wants the programs to exist; the real paths are install targets.
    sed -i -e "s|/usr/local/bin/sanayicind|${daemon:-/bin/true}|g" \
        -e "s|/usr/local/lib/sanayicin/backup.sh|$deploy/scripts/backup.sh|g" "$d"/*
    # verify exits 0 on unknown keys and bad values but prints them: any
    # output is a failure.
    out=$(cd "$d" && systemd-analyze verify --man=no ./sanayicind@1.service ./sanayicind-migrate.service \
        ./sanayicin.target ./sanayicin-backup.service ./sanayicin-backup.timer 2>&1 || echo "exit status $?")
    if [ -z "$out" ]; then
        pass systemd "5 units verified"
    else
        fail systemd; printf '%s\n' "$out" | sed 's/^/      | /'
    fi
}

# ---- the daemon reads the shipped settings -----------------------------------------
check_daemon_settings() {
    if [ -z "$daemon" ]; then skip daemon-settings "no sanayicind binary (build it or pass --daemon)"; return; fi
    local d=$work/settings log
    mkdir_user "$d"
    log=$d/migrate.log
    local -a envs=()
    local line
    # Each instance's environment file, with the database swapped for SQLite.
    for f in "$deploy"/systemd/etc-sanayicin/instance-*.env; do
        envs=()
        while IFS= read -r line; do
            [[ $line =~ ^[A-Z_]+= ]] && envs+=("$line")
        done <"$f"
        if ! as_user env -i PATH=/usr/bin:/bin "${envs[@]}" \
            SANAYICIN_DATABASE="sqlite://$d/check.sqlite" SANAYICIN_DATA_DIR="$d" \
            "$daemon" --config "$deploy/systemd/etc-sanayicin/sanayicind.ini" migrate >"$log" 2>&1; then
            fail daemon-settings "$(basename "$f") + sanayicind.ini refused:"; show "$log"
            return
        fi
    done
    pass daemon-settings "sanayicind.ini and instance-*.env accepted by $(basename "$daemon") migrate"
}

# ---- nginx ------------------------------------------------------------------------
check_nginx_production() {
    if ! have nginx; then skip nginx-production "nginx not installed"; return; fi
    if ! have openssl; then skip nginx-production "openssl not installed (for a throw-away certificate)"; return; fi
    local d=$work/nginx-prod out
    mkdir -p "$d/conf.d" "$d/snippets" "$d/logs" "$d/tmp"
    cp "$deploy"/nginx/snippets/*.conf "$d/snippets/"
    cp /etc/nginx/mime.types "$d/mime.types" 2>/dev/null || echo 'types { text/html html; }' >"$d/mime.types"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=chat.example.com" \
        -keyout "$d/privkey.pem" -out "$d/fullchain.pem" >/dev/null 2>&1
    # nginx -t binds the listening ports: move 80 and 443 to free loopback
    # ports (and drop the IPv6 wildcard lines) so that no root is needed.
    local p80 p443
    p80=$(free_port)
    p443=$(free_port)
    sed -e "s|/etc/ssl/sanayicin/|$d/|g" -e "s|/var/log/nginx/|$d/logs/|g" \
        -e "s|^\( *\)listen 80;|\1listen 127.0.0.1:$p80;|" \
        -e "s|^\( *\)listen 443 ssl http2;|\1listen 127.0.0.1:$p443 ssl http2;|" \
        -e '/^ *listen \[::\]:/d' \
        "$deploy/nginx/sanayicin.conf" >"$d/conf.d/sanayicin.conf"
    cat >"$d/nginx.conf" <<EOF
pid $d/nginx.pid;
error_log $d/logs/error.log;
events { worker_connections 1024; }
http {
    include mime.types;
    access_log $d/logs/access.log;
    client_body_temp_path $d/tmp/body;
    proxy_temp_path $d/tmp/proxy;
    fastcgi_temp_path $d/tmp/fastcgi;
    uwsgi_temp_path $d/tmp/uwsgi;
    scgi_temp_path $d/tmp/scgi;
    include conf.d/sanayicin.conf;
}
EOF
    [ ${#runner[@]} -gt 0 ] && chown -R nobody "$d"
    if out=$(as_user nginx -p "$d" -c "$d/nginx.conf" -t 2>&1); then
        pass nginx-production "sanayicin.conf + snippets: ok (throw-away certificate, ports $p80/$p443)"
    else
        fail nginx-production; printf '%s\n' "$out" | sed 's/^/      | /'
    fi
}

check_nginx_test_variant() {
    if ! have nginx; then skip nginx-test-variant "nginx not installed"; return; fi
    local d=$work/nginx-test out
    mkdir_user "$d"
    if ! out=$(as_user "$deploy/scripts/render-nginx-test.sh" --dir "$d" --port 18080 \
        --backend 127.0.0.1:18081 --backend 127.0.0.1:18082 2>&1); then
        fail nginx-test-variant "render-nginx-test.sh: $out"; return
    fi
    if out=$(as_user nginx -p "$d" -c "$d/nginx.conf" -t 2>&1); then
        pass nginx-test-variant "sanayicin-test.conf.in rendered: syntax ok"
    else
        fail nginx-test-variant; printf '%s\n' "$out" | sed 's/^/      | /'
    fi
}

# A daemon on SQLite behind the rendered test variant.
check_nginx_live() {
    if [ "$live" -eq 0 ]; then skip nginx-live "--no-live"; return; fi
    if ! have nginx || ! have curl; then skip nginx-live "nginx or curl missing"; return; fi
    if [ -z "$daemon" ]; then skip nginx-live "no sanayicind binary"; return; fi
    local d=$work/nginx-live dport nport h body code
    mkdir_user "$d" "$d/data"
    if ! start_daemon "$d" daemon --data-dir "$d/data" --drain-timeout-ms 3000; then
        fail nginx-live "daemon did not start"; show "$d/daemon.log"; return
    fi
    local dpid=$started_pid
    dport=$daemon_port
    nport=$(free_port)
    as_user "$deploy/scripts/render-nginx-test.sh" --dir "$d/nginx" --port "$nport" \
        --backend "127.0.0.1:$dport" >/dev/null
    if ! as_user nginx -p "$d/nginx" -c "$d/nginx/nginx.conf" >"$d/nginx-start.log" 2>&1; then
        fail nginx-live "nginx did not start"; show "$d/nginx-start.log"; show "$d/nginx/error.log"; return
    fi
    pidfiles+=("$d/nginx/nginx.pid")
    wait_port "$nport" 50 || { fail nginx-live "nginx not listening"; return; }
    local base="http://127.0.0.1:$nport" problems=()

    h=$(curl -s -D - -o /dev/null --max-time 5 "$base/")
    grep -qi '^HTTP/1.1 200' <<<"$h" || problems+=("GET / not 200")
    grep -qi "^content-security-policy: default-src 'none'; script-src 'self'" <<<"$h" || problems+=("no CSP on /")
    grep -qi '^x-content-type-options: nosniff' <<<"$h" || problems+=("no nosniff on /")
    grep -qi '^strict-transport-security:' <<<"$h" || problems+=("no HSTS on /")
    h=$(curl -s -D - -o /dev/null --max-time 5 "$base/assets/app.js")
    grep -qi '^HTTP/1.1 200' <<<"$h" || problems+=("GET /assets/app.js not 200")
    grep -qi '^cache-control: public, max-age=300' <<<"$h" || problems+=("assets not cacheable")
    grep -qi '^content-security-policy:' <<<"$h" || problems+=("no CSP on assets")
    [ "$(http_code "$base/assets/style.css")" = 200 ] || problems+=("GET /assets/style.css not 200")
    [ "$(http_code "$base/healthz")" = 200 ] || problems+=("/healthz not 200")
    [ "$(http_code "$base/readyz")" = 200 ] || problems+=("/readyz not 200")
    # /metrics is for loopback clients that come directly (Prometheus), not
    # for what nginx forwards.
    body=$(curl -s --max-time 5 "http://127.0.0.1:$dport/metrics")
    grep -q '^sanayicin_websocket_connections' <<<"$body" || problems+=("/metrics lacks sanayicin_websocket_connections")
    [ "$(http_code "$base/metrics")" = 404 ] || problems+=("/metrics through nginx not 404")
    # The API through the proxy: register, then a 64 KiB + 1 body is refused by nginx.
    code=$(http_code -X POST -H 'Content-Type: application/json' \
        --data '{"username":"check_user","password":"check-password-1","display_name":"Check","role":"customer"}' \
        "$base/api/v1/auth/register")
    [ "$code" = 201 ] || problems+=("register through nginx gave $code")
    head -c 65537 /dev/zero | tr '\0' 'a' >"$d/big.txt"
    body=$(curl -s -w ' %{http_code}' --max-time 5 -X POST -H 'Content-Type: application/json' \
        --data-binary @"$d/big.txt" "$base/api/v1/auth/login" | tr -d '\n')
    grep -q '"code":"too_large".* 413$' <<<"$body" || problems+=("65537-byte body: $body")
    # WebSocket upgrade through nginx: 101 from the daemon.
    h=$(curl -s -i -N --max-time 2 -H 'Connection: Upgrade' -H 'Upgrade: websocket' \
        -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: c2FuYXlpY2luLWNoZWNrIQ==' \
        "$base/ws" 2>/dev/null | head -n 1 || true)
    grep -q '^HTTP/1.1 101' <<<"$h" || problems+=("/ws upgrade: ${h:-no answer}")
    # The page under the shipped CSP in a real browser (when the browser
    # test's Playwright is installed): register, go online over /ws, and no
    # CSP report on the console.
    local pw=$repo/tests/browser/node_modules/playwright-core/index.mjs browser_note=""
    if have node && have chromium && [ -f "$pw" ]; then
        cat >"$d/csp.mjs" <<EOF
import { chromium } from '$pw';
const browser = await chromium.launch({ executablePath: '$(command -v chromium)', args: ['--no-sandbox'] });
const page = await browser.newPage();
const problems = [];
page.on('console', m => { if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text()); });
page.on('pageerror', e => problems.push('page error: ' + e.message));
await page.goto('$base/');
await page.click('[data-test=show-register]');
await page.fill('[data-test=reg-username]', 'check_browser');
await page.fill('[data-test=reg-password]', 'check-password-1');
await page.fill('[data-test=reg-display-name]', 'Browser');
await page.click('[data-test=reg-submit]');
await page.waitForSelector('[data-test=conn-status][data-state=online]', { timeout: 15000 })
  .catch(() => problems.push('the page never went online over /ws'));
await browser.close();
console.log(problems.length ? problems.join(' | ') : 'ok');
EOF
        body=$(as_user timeout 60 node "$d/csp.mjs" 2>&1 | tail -n 1 || true)
        if [ "$body" = ok ]; then browser_note=", Chromium online under the CSP"; else problems+=("browser: $body"); fi
    fi
    # SIGTERM drains and exits 0; nginx then answers with the JSON 503.
    kill -TERM "$dpid"
    local status=0
    wait "$dpid" || status=$?
    [ "$status" -eq 0 ] || problems+=("daemon exit status $status after SIGTERM")
    grep -q 'draining' "$d/daemon.log" || problems+=("no drain in the daemon log")
    body=$(curl -s -w ' %{http_code}' --max-time 10 "$base/api/v1/me" | tr -d '\n')
    grep -q '"code":"unavailable".* 503$' <<<"$body" || problems+=("no JSON 503 with every instance down: $body")

    if [ ${#problems[@]} -eq 0 ]; then
        pass nginx-live "page, assets, headers, register, 413, /ws 101${browser_note}, SIGTERM exit 0, 503 JSON"
    else
        fail nginx-live "$(printf '%s; ' "${problems[@]}")"
        show "$d/nginx/error.log" 5
    fi
}

# ---- PostgreSQL ----------------------------------------------------------------------
pg_data="" pgbin="" pg_port="" pg_sock=""
check_postgresql() {
    if [ "$live" -eq 0 ]; then skip postgresql "--no-live"; return; fi
    pgbin=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -z "$pgbin" ]; then skip postgresql "PostgreSQL not installed"; return; fi
    local d=$work/pg out
    mkdir_user "$d"
    pg_data=$d/data
    pg_sock=$d
    pg_port=$(free_port)
    if ! as_user "$pgbin/initdb" -D "$pg_data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$d/initdb.log" 2>&1; then
        fail postgresql "initdb failed"; show "$d/initdb.log"; return
    fi
    as_user cp "$deploy/postgresql/sanayicin.conf" "$pg_data/conf.d-sanayicin.conf"
    as_user sh -c "echo \"include 'conf.d-sanayicin.conf'\" >> '$pg_data/postgresql.conf'"
    # The snippet as shipped; only where to listen differs. shared_buffers is
    # sized for the production machine: start with it if memory allows.
    if ! as_user "$pgbin/pg_ctl" -D "$pg_data" -l "$d/server.log" -w -t 60 \
        -o "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$pg_sock" start >/dev/null 2>&1; then
        fail postgresql "did not start with sanayicin.conf:"; show "$d/server.log"; return
    fi
    out=$(as_user "$pgbin/psql" -h "$pg_sock" -p "$pg_port" -U postgres -X -A -t -v ON_ERROR_STOP=1 -c \
        "SELECT sourceline || ': ' || name || ': ' || error FROM pg_file_settings
         WHERE error IS NOT NULL AND sourcefile LIKE '%conf.d-sanayicin.conf'
           AND name <> 'listen_addresses'" 2>&1)
    if [ -n "$out" ]; then
        fail postgresql "settings rejected:"; printf '%s\n' "$out" | sed 's/^/      | /'; return
    fi
    out=$(as_user "$pgbin/psql" -h "$pg_sock" -p "$pg_port" -U postgres -X -A -t -F ' ' -v ON_ERROR_STOP=1 -c \
        "SELECT string_agg(name || '=' || current_setting(name), ' ' ORDER BY name) FROM pg_settings
         WHERE name IN ('shared_buffers', 'synchronous_commit', 'wal_compression', 'max_wal_size', 'max_connections')")
    # The roles and database that the pgBouncer check and backup.sh use.
    as_user "$pgbin/psql" -h "$pg_sock" -p "$pg_port" -U postgres -X -q -v ON_ERROR_STOP=1 \
        -c "SET password_encryption = 'scram-sha-256'" \
        -c "CREATE ROLE sanayicin LOGIN PASSWORD 'check-app-password'" \
        -c "CREATE ROLE pgbouncer_admin LOGIN PASSWORD 'check-admin-password'" \
        -c "CREATE DATABASE sanayicin OWNER sanayicin" >/dev/null
    pass postgresql "started with conf.d snippet: $out"
}

# ---- pgBouncer ------------------------------------------------------------------------
check_pgbouncer() {
    if [ "$live" -eq 0 ]; then skip pgbouncer "--no-live"; return; fi
    if ! have pgbouncer || ! have psql; then skip pgbouncer "pgbouncer or psql not installed"; return; fi
    if [ -z "$pg_port" ]; then skip pgbouncer "needs the PostgreSQL check"; return; fi
    local d=$work/pgbouncer port out
    mkdir_user "$d"
    port=$(free_port)
    # The userlist as docs/operations.md says to make it: SCRAM secrets from pg_authid.
    as_user "$pgbin/psql" -h "$pg_sock" -p "$pg_port" -U postgres -X -A -t -v ON_ERROR_STOP=1 -c \
        "SELECT format('\"%s\" \"%s\"', rolname, rolpassword) FROM pg_authid
         WHERE rolname IN ('sanayicin', 'pgbouncer_admin')" >"$d/userlist.txt"
    sed -e "s|^sanayicin = .*|sanayicin = host=127.0.0.1 port=$pg_port dbname=sanayicin|" \
        -e "s|^listen_port = .*|listen_port = $port|" \
        -e "s|^unix_socket_dir = .*|unix_socket_dir = $d|" \
        -e "s|^logfile = .*|logfile = $d/pgbouncer.log|" \
        -e "s|^pidfile = .*|pidfile = $d/pgbouncer.pid|" \
        -e "s|^auth_file = .*|auth_file = $d/userlist.txt|" \
        "$deploy/pgbouncer/pgbouncer.ini" >"$d/pgbouncer.ini"
    [ ${#runner[@]} -gt 0 ] && chown -R nobody "$d"
    start_bg "$d/run.pid" "$d/stdout.log" pgbouncer "$d/pgbouncer.ini"
    if ! wait_port "$port" 50; then
        fail pgbouncer "did not start:"; show "$d/stdout.log"; show "$d/pgbouncer.log"; return
    fi
    out=$(PGPASSWORD=check-admin-password as_user psql "host=127.0.0.1 port=$port dbname=pgbouncer user=pgbouncer_admin" \
        -X -A -t -c "SHOW CONFIG" 2>&1 | grep -E '^(pool_mode|default_pool_size|max_client_conn)\|' | cut -d'|' -f1,2 | tr '|\n' '= ' || true)
    if ! grep -q 'pool_mode=transaction' <<<"$out"; then
        fail pgbouncer "admin console: ${out:-no answer}"; show "$d/pgbouncer.log"; return
    fi
    pass pgbouncer "shipped ini runs: $out"
    pgb_port=$port
}

# The daemon migrates and serves through pgBouncer in transaction mode.
pgb_port=""
check_daemon_through_pgbouncer() {
    if [ "$live" -eq 0 ]; then skip daemon-pgbouncer "--no-live"; return; fi
    if [ -z "$daemon" ] || [ -z "$pgb_port" ] || ! have curl; then
        skip daemon-pgbouncer "needs sanayicind, curl and the pgBouncer check"; return
    fi
    local d=$work/daemon-pgb url port log problems=() tok body code
    mkdir_user "$d"
    url="postgresql://sanayicin:check-app-password@127.0.0.1:$pgb_port/sanayicin"
    log=$d/daemon.log
    if ! as_user env SANAYICIN_DATABASE="$url" QT_ENABLE_REGEXP_JIT=0 "$daemon" \
        --config "$deploy/systemd/etc-sanayicin/sanayicind.ini" --data-dir "$d" migrate >"$d/migrate.log" 2>&1; then
        fail daemon-pgbouncer "migrate through pgBouncer failed:"; show "$d/migrate.log"; return
    fi
    # Two instances at once, as in production, through the same pool.
    local p1 p2 n
    for n in 1 2; do
        if ! SANAYICIN_DATABASE="$url" start_daemon "$d" "daemon-$n" \
            --config "$deploy/systemd/etc-sanayicin/sanayicind.ini" --data-dir "$d" --instance-id "check-$n"; then
            fail daemon-pgbouncer "instance $n did not start"; show "$d/daemon-$n.log"; return
        fi
        if [ "$n" = 1 ]; then p1=$daemon_port; else p2=$daemon_port; fi
        [ "$(http_code "http://127.0.0.1:$daemon_port/readyz")" = 200 ] || problems+=("/readyz of instance $n not 200")
    done
    # A customer writes to a tradesman: register both, open a conversation,
    # send (a group commit through pgBouncer), read it back on the other instance.
    register() { # port username role -> token
        curl -s --max-time 10 -X POST -H 'Content-Type: application/json' \
            --data "{\"username\":\"$2\",\"password\":\"check-password-1\",\"display_name\":\"$2\",\"role\":\"$3\"}" \
            "http://127.0.0.1:$1/api/v1/auth/register" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p'
    }
    tok=$(register "$p1" check_customer customer)
    local tok2 peer conv
    tok2=$(register "$p2" check_tradesman tradesman)
    peer=$(curl -s --max-time 10 -H "Authorization: Bearer $tok2" "http://127.0.0.1:$p2/api/v1/me" |
        sed -n 's/.*"id":\([0-9]*\).*/\1/p' | head -n 1)
    conv=$(curl -s --max-time 10 -X POST -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
        --data "{\"peer_id\":${peer:-0}}" "http://127.0.0.1:$p1/api/v1/conversations" |
        sed -n 's/^{"id":\([0-9]*\).*/\1/p')
    for n in 1 2 3; do
        code=$(http_code -X POST -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
            --data "{\"body\":\"check message $n\",\"client_msg_id\":\"check-$n\"}" \
            "http://127.0.0.1:$p1/api/v1/conversations/${conv:-0}/messages")
        [ "$code" = 201 ] || problems+=("send $n gave $code")
    done
    body=$(curl -s --max-time 10 -H "Authorization: Bearer $tok2" \
        "http://127.0.0.1:$p2/api/v1/conversations/${conv:-0}/messages")
    [ "$(grep -o '"seq":[0-9]*' <<<"$body" | tr '\n' ' ')" = '"seq":1 "seq":2 "seq":3 ' ] ||
        problems+=("messages read back on the other instance: $body")
    if grep -qi 'prepared statement\|unsupported startup parameter' "$d"/daemon-*.log "$work/pgbouncer/pgbouncer.log"; then
        problems+=("prepared-statement or startup-parameter errors in the logs")
    fi
    for n in 1 2; do kill -TERM "$(cat "$d/daemon-$n.pid")" 2>/dev/null || true; done
    # The per-table settings apply to the migrated schema (directly, not through pgBouncer).
    if ! as_user "$pgbin/psql" -h "$pg_sock" -p "$pg_port" -U sanayicin -d sanayicin -X -q -v ON_ERROR_STOP=1 \
        -f "$deploy/postgresql/tables.sql" >"$d/tables.log" 2>&1; then
        problems+=("tables.sql: $(tr '\n' ' ' <"$d/tables.log")")
    fi
    if [ ${#problems[@]} -eq 0 ]; then
        pass daemon-pgbouncer "migrate, 2 instances, register, 3 sends, read back, tables.sql"
    else
        fail daemon-pgbouncer "$(printf '%s; ' "${problems[@]}")"
        show "$d/daemon-1.log" 8
    fi
}

# ---- backups ---------------------------------------------------------------------------
check_backup() {
    if [ "$live" -eq 0 ]; then skip backup "--no-live"; return; fi
    if [ -z "$pg_port" ]; then skip backup "needs the PostgreSQL check"; return; fi
    local d=$work/backup out
    mkdir_user "$d"
    # pg_dump and friends of the same version as the server.
    if ! out=$(as_user env PATH="$pgbin:$PATH" PGHOST="$pg_sock" PGPORT="$pg_port" PGUSER=postgres \
        PGDATABASE=sanayicin "$deploy/scripts/backup.sh" dump --dir "$d" 2>&1); then
        fail backup "dump:"; printf '%s\n' "$out" | sed 's/^/      | /'; return
    fi
    local file
    file=$(find "$d" -maxdepth 1 -name 'sanayicin-*.dump' | head -n 1)
    if ! out=$(as_user env PATH="$pgbin:$PATH" PGHOST="$pg_sock" PGPORT="$pg_port" PGUSER=postgres \
        "$deploy/scripts/backup.sh" restore-test "$file" 2>&1); then
        fail backup "restore-test:"; printf '%s\n' "$out" | sed 's/^/      | /'; return
    fi
    if [ ! -f "$d/last-success" ] || [ ! -f "$file.sha256" ]; then
        fail backup "no last-success stamp or checksum"; return
    fi
    pass backup "dump + restore-test: $(grep -o 'messages=[0-9]*' <<<"$out" | head -n 1)"
}

# ---- Redis -------------------------------------------------------------------------
check_redis() {
    if [ "$live" -eq 0 ]; then skip redis "--no-live"; return; fi
    if ! have redis-server || ! have redis-cli; then skip redis "redis-server not installed"; return; fi
    local d=$work/redis port out
    mkdir_user "$d"
    port=$(free_port)
    # The shipped file with its paths moved here (Redis enters `dir` while it
    # reads the file, before any command-line override), and a free port.
    # The shipped ACL file with a password of this run.
    local pw hash
    pw=check-$RANDOM$RANDOM
    hash=$(printf %s "$pw" | sha256sum | cut -d' ' -f1)
    sed -e "s|#SHA256-OF-THE-PASSWORD|#$hash|" "$deploy/redis/users.acl.example" >"$d/users.acl"
    echo "user ops on #$hash ~* &* +@all" >>"$d/users.acl"
    sed -e "s|^dir .*|dir $d|" -e "s|^pidfile .*|pidfile $d/redis.pid|" \
        -e "s|^logfile .*|logfile $d/redis.log|" -e "s|^port .*|port $port|" \
        -e "s|^aclfile .*|aclfile $d/users.acl|" \
        "$deploy/redis/redis.conf" >"$d/redis.conf"
    [ ${#runner[@]} -gt 0 ] && chown -R nobody "$d"
    start_bg "$d/run.pid" "$d/stdout.log" redis-server "$d/redis.conf" --daemonize no --supervised no
    local cli=(redis-cli -p "$port" --user sanayicin --pass "$pw" --no-auth-warning)
    for _ in $(seq 1 50); do
        "${cli[@]}" ping >/dev/null 2>&1 && break
        sleep 0.1
    done
    # Without logging in, nothing.
    if redis-cli -p "$port" ping 2>/dev/null | grep -q PONG; then
        fail redis "the default user still answers"; return
    fi
    if [ "$("${cli[@]}" ping 2>/dev/null)" != PONG ]; then
        fail redis "no PONG:"; show "$d/stdout.log"; show "$d/redis.log"; return
    fi
    out=$(for k in maxmemory-policy appendonly appendfsync protected-mode; do
        printf '%s=%s ' "$k" "$(redis-cli -p "$port" --user ops --pass "$pw" --no-auth-warning config get "$k" | tail -n 1)"
    done)
    local pubsub
    pubsub=$(redis-cli -p "$port" --user ops --pass "$pw" --no-auth-warning config get client-output-buffer-limit | tail -n 1 | grep -o 'pubsub [0-9 ]*')
    kill -TERM "$started_pid" 2>/dev/null || true
    if grep -q 'maxmemory-policy=noeviction appendonly=yes appendfsync=everysec protected-mode=yes' <<<"$out" &&
        [ "$pubsub" = "pubsub 268435456 67108864 120" ]; then
        pass redis "PONG; ${out}${pubsub// /:}"
    else
        fail redis "unexpected settings: $out $pubsub"
    fi
}

# ---- Prometheus and Grafana --------------------------------------------------------------
check_prometheus() {
    if ! have promtool; then skip prometheus "promtool not installed (apt-get install prometheus)"; return; fi
    local out m=$deploy/monitoring t
    if ! out=$(cd "$m" && promtool check config prometheus.yml 2>&1); then
        fail prometheus "check config:"; printf '%s\n' "$out" | sed 's/^/      | /'; return
    fi
    for t in "$m"/*-test.yml; do
        if ! out=$(cd "$m" && promtool test rules "$(basename "$t")" 2>&1); then
            fail prometheus "alert rule tests $(basename "$t"):"; printf '%s\n' "$out" | sed 's/^/      | /'; return
        fi
    done
    # Every alert has a case that fires it and one that keeps it quiet, and
    # every scrape job an absent() alert.
    if ! have python3 || ! python3 -c 'import yaml' 2>/dev/null; then
        skip prometheus "python3-yaml not installed (the alert coverage check)"; return
    fi
    if ! out=$(python3 "$deploy/scripts/check-alert-tests.py" "$m" 2>&1); then
        fail prometheus "alert coverage:"; printf '%s\n' "$out" | sed 's/^/      | /'; return
    fi
    pass prometheus "config, rule unit tests; $out"
}

check_dashboard() {
    if ! have jq; then skip grafana-dashboard "jq not installed"; return; fi
    local f=$deploy/monitoring/grafana/sanayicin-dashboard.json out n
    if ! jq -e '.panels | length > 0' "$f" >/dev/null 2>&1; then
        fail grafana-dashboard "not valid JSON or no panels"; return
    fi
    n=$(jq '[.panels[].targets[]?] | length' "$f")
    if ! have promtool; then pass grafana-dashboard "valid JSON, $n queries (promtool missing: queries not parsed)"; return; fi
    # Every query, with Grafana's variables filled in, as a recording rule:
    # promtool then parses them all.
    {
        echo "groups:"
        echo "  - name: dashboard"
        echo "    rules:"
        # shellcheck disable=SC2016 # Grafana's variables, not the shell's
        jq -r '.panels[].targets[]?.expr' "$f" | sed -e 's/\$__rate_interval/5m/g' -e 's/\$instance/.*/g' |
            awk '{ gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); printf "      - record: dashboard_query_%d\n        expr: \"%s\"\n", NR, $0 }'
    } >"$work/dashboard-rules.yml"
    if out=$(promtool check rules "$work/dashboard-rules.yml" 2>&1); then
        pass grafana-dashboard "valid JSON, $n queries parsed by promtool"
    else
        fail grafana-dashboard "queries:"; printf '%s\n' "$out" | sed 's/^/      | /'
    fi
}

# ---- sysctl ------------------------------------------------------------------------------
# Only that every key exists on this kernel and every value is well formed;
# applying them needs root and would change the machine.
check_sysctl() {
    local f=$deploy/sysctl/90-sanayicin.conf key value bad=() n=0
    while IFS='=' read -r key value; do
        key=$(echo "$key" | tr -d ' ')
        value=$(echo "$value" | sed 's/^ *//; s/ *$//')
        [ -z "$key" ] && continue
        [[ $key == \#* ]] && continue
        n=$((n + 1))
        [ -e "/proc/sys/${key//.//}" ] || bad+=("$key: no such setting")
        [[ $value =~ ^[0-9]+([[:space:]]+[0-9]+)*$ ]] || bad+=("$key: value '$value'")
    done <"$f"
    if [ ${#bad[@]} -eq 0 ]; then
        pass sysctl "$n keys known to this kernel"
    else
        fail sysctl "$(printf '%s; ' "${bad[@]}")"
    fi
}

# ---- monit -----------------------------------------------------------------------------
check_monit() {
    if ! have monit; then skip monit "monit not installed (apt-get install monit)"; return; fi
    local d=$work/monit out
    mkdir -p "$d"
    printf 'set daemon 30\nset log %s/monit.log\nset idfile %s/id\nset statefile %s/state\ninclude %s\n' \
        "$d" "$d" "$d" "$deploy/monit/sanayicin" >"$d/monitrc"
    chmod 0600 "$d/monitrc"
    [ ${#runner[@]} -gt 0 ] && chown -R nobody "$d"
    if out=$(as_user monit -t -c "$d/monitrc" 2>&1); then
        pass monit "control file syntax ok ($(grep -c '^check ' "$deploy/monit/sanayicin") checks)"
    else
        fail monit; printf '%s\n' "$out" | sed 's/^/      | /'
    fi
}

echo "deploy/ checks in $work${daemon:+ (daemon: $daemon)}"
check_shellcheck
check_systemd
check_daemon_settings
check_nginx_production
check_nginx_test_variant
check_nginx_live
check_postgresql
check_pgbouncer
check_daemon_through_pgbouncer
check_backup
check_redis
check_prometheus
check_dashboard
check_monit
check_sysctl
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
