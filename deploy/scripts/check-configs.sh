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
# dashboard query), jq (dashboard JSON), sysctl keys known to the kernel,
# pgBackRest reading pgbackrest.conf without a warning.
# Live: PostgreSQL started with the conf.d snippet; pgBouncer with the shipped
# ini in front of it and the daemon migrating and serving through it in
# transaction mode; Redis with the shipped redis.conf; nginx's test variant
# in front of a daemon (page, assets, headers, WebSocket upgrade, the page in
# Chromium under the CSP when tests/browser has Playwright, 413, drain on
# SIGTERM, JSON 503); dump.sh dump and restore-test; pgBackRest with the
# shipped pgbackrest.conf archiving from that PostgreSQL and backup.sh full.
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
    -h | --help) sed -n '2,29p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
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

# $work, $runner, as_user, free_port.
# shellcheck source-path=SCRIPTDIR source=scratch-lib.sh
. "$here/scratch-lib.sh"
scratch_setup sanayicin-check
mkdir_user() { as_user mkdir -p "$@"; }

# CI clones into a folder only root may enter; the unprivileged user cannot
# then run the daemon or read deploy/ and the web page. Work from copies in
# the temp folder in that case (deploy/ is small; the daemon one file).
if [ ${#runner[@]} -gt 0 ] &&
    ! as_user test -r "$deploy/README.md" -a -x "$deploy/scripts/backup.sh" -a -r "$repo/resources/web/index.html" 2>/dev/null; then
    mkdir -p "$work/repo/resources"
    cp -a "$deploy" "$work/repo/deploy"
    cp -a "$repo/resources/web" "$work/repo/resources/web"
    deploy=$work/repo/deploy repo=$work/repo
    echo "(the checkout is not readable by nobody: checking a copy in $repo)"
fi
if [ ${#runner[@]} -gt 0 ] && [ -n "$daemon" ] && ! as_user test -x "$daemon" 2>/dev/null; then
    mkdir -p "$work/bin"
    cp "$daemon" "$work/bin/sanayicind"
    daemon=$work/bin/sanayicind
fi
# Every program starts here: psql and friends complain when they cannot
# enter the folder they were started in.
cd "$work"

pidfiles=() netns_cleanup=()
cleanup() {
    local f pid
    for f in "${pidfiles[@]}"; do
        [ -f "$f" ] || continue
        pid=$(head -n 1 "$f" 2>/dev/null || true)
        if [[ $pid =~ ^[0-9]+$ ]]; then kill "$pid" 2>/dev/null || true; fi
    done
    for f in "${netns_cleanup[@]}"; do ip netns del "$f" 2>/dev/null || true; done
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
    if out=$(shellcheck "$deploy"/scripts/*.sh 2>&1 && shellcheck -s sh "$deploy"/package/sanayicind/* 2>&1); then
        pass shellcheck "$(cd "$deploy/scripts" && echo *.sh) and the package's maintainer scripts"
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
        -e "s|/usr/local/lib/sanayicin/|$deploy/scripts/|g" "$d"/*
    # verify exits 0 on unknown keys and bad values but prints them: any
    # output is a failure.
    out=$(cd "$d" && systemd-analyze verify --man=no ./sanayicind@1.service ./sanayicind-migrate.service \
        ./sanayicin.target ./sanayicin-backup@full.service ./sanayicin-backup@diff.service \
        ./sanayicin-backup-full.timer ./sanayicin-backup-diff.timer \
        ./sanayicin-restore-drill.service ./sanayicin-restore-drill.timer \
        ./sanayicin-worker@1.service ./sanayicin-scheduler.service 2>&1 || echo "exit status $?")
    # The drop-ins for Debian's units, each on a stand-in unit of that name:
    # verify reads <unit>.d/*.conf beside the unit it is given.
    local dropin unit n=0
    for dropin in "$deploy"/systemd/drop-ins/*.service.d; do
        unit=$(basename "$dropin" .d)
        mkdir -p "$d/drop-ins/$unit.d"
        printf '[Unit]\nDescription=stand-in for %s\n[Service]\nExecStart=/bin/true\n' "$unit" >"$d/drop-ins/$unit"
        cp "$dropin"/*.conf "$d/drop-ins/$unit.d/"
        out+=$(cd "$d/drop-ins" && systemd-analyze verify --man=no "./$unit" 2>&1 || echo "exit status $?")
        n=$((n + 1))
    done
    if [ -z "$out" ]; then
        pass systemd "12 units and $n drop-ins verified"
    else
        fail systemd; printf '%s\n' "$out" | sed 's/^/      | /'
    fi
}

# The worker and the scheduler carry every sandboxing line of the instances'
# unit (the keys below, same values): a unit added later cannot quietly run
# with fewer restrictions.
check_unit_hardening() {
    local keys='NoNewPrivileges|CapabilityBoundingSet|AmbientCapabilities|RestrictSUIDSGID|LockPersonality|RestrictRealtime|RestrictNamespaces|ProtectSystem|ProtectHome|PrivateTmp|PrivateDevices|UMask|ProtectKernelTunables|ProtectKernelModules|ProtectKernelLogs|ProtectControlGroups|ProtectClock|ProtectHostname|ProtectProc|RestrictAddressFamilies|SystemCallArchitectures|SystemCallFilter|SystemCallErrorNumber|MemoryDenyWriteExecute|User|Group|MemoryMax'
    local ref unit missing problems=()
    ref=$(grep -E "^($keys)=" "$deploy/systemd/sanayicind@.service" | grep -v '^MemoryMax=' | sort)
    for unit in sanayicin-worker@.service sanayicin-scheduler.service; do
        missing=$(comm -23 <(printf '%s\n' "$ref") <(grep -E "^($keys)=" "$deploy/systemd/$unit" | sort) | tr '\n' ' ')
        [ -z "$missing" ] || problems+=("$unit lacks: $missing")
        grep -q '^MemoryMax=' "$deploy/systemd/$unit" || problems+=("$unit has no MemoryMax")
        grep -q '^PartOf=sanayicin.target$' "$deploy/systemd/$unit" || problems+=("$unit is not PartOf=sanayicin.target")
        grep -q "^ExecStart=/usr/local/bin/sanayicind $( [ "$unit" = sanayicin-scheduler.service ] && echo scheduler || echo worker) --config /etc/sanayicin/sanayicind.ini\$" \
            "$deploy/systemd/$unit" || problems+=("$unit does not run sanayicind worker/scheduler --config /etc/sanayicin/sanayicind.ini")
    done
    # pgbackrest restore sets each restored file's owner, and @privileged
    # holds chown: the drill's unit gives @chown back after removing it (else
    # the drill fails with EPERM under systemd, which this machine's tests
    # cannot run; seen in the walk-through under systemd-nspawn).
    awk '/^SystemCallFilter=~.*@privileged/ { p = 1 } /^SystemCallFilter=@chown$/ && p { ok = 1 } END { exit !ok }' \
        "$deploy/systemd/sanayicin-restore-drill.service" ||
        problems+=("sanayicin-restore-drill.service filters chown, which pgbackrest restore needs")
    if [ ${#problems[@]} -eq 0 ]; then
        pass unit-hardening "worker and scheduler: the instances' $(wc -l <<<"$ref") sandboxing lines, a memory limit, part of sanayicin.target; the drill may chown"
    else
        fail unit-hardening "$(printf '%s; ' "${problems[@]}")"
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
nginx_prod_dir="" nginx_stub_port=""
check_nginx_production() {
    if ! have nginx; then skip nginx-production "nginx not installed"; return; fi
    if ! have openssl; then skip nginx-production "openssl not installed (for a throw-away certificate)"; return; fi
    local d=$work/nginx-prod out
    mkdir -p "$d/conf.d" "$d/snippets" "$d/logs" "$d/tmp"
    cp "$deploy"/nginx/snippets/*.conf "$d/snippets/"
    cp /etc/nginx/mime.types "$d/mime.types" 2>/dev/null || echo 'types { text/html html; }' >"$d/mime.types"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=chat.example.com" \
        -keyout "$d/privkey.pem" -out "$d/fullchain.pem" >/dev/null 2>&1
    # nginx -t binds the listening ports: move 80, 443 and stub_status' 8080
    # to free loopback ports (and drop the IPv6 wildcard lines) so that no
    # root is needed.
    local p80 p443 p8080
    p80=$(free_port)
    p443=$(free_port)
    p8080=$(free_port)
    sed -e "s|/etc/ssl/sanayicin/|$d/|g" -e "s|/var/log/nginx/|$d/logs/|g" \
        -e "s|^\( *\)listen 80;|\1listen 127.0.0.1:$p80;|" \
        -e "s|^\( *\)listen 443 ssl http2;|\1listen 127.0.0.1:$p443 ssl http2;|" \
        -e "s|^\( *\)listen 127.0.0.1:8080;|\1listen 127.0.0.1:$p8080;|" \
        -e '/^ *listen \[::\]:/d' \
        "$deploy/nginx/sanayicin.conf" >"$d/conf.d/sanayicin.conf"
    # The shipped main file with this folder's paths, without the user switch
    # (no root here), and temp folders nobody may write.
    sed -e '/^user /d' -e "s|^pid .*|pid $d/nginx.pid;|" -e "s|/var/log/nginx/|$d/logs/|g" \
        -e "s|/etc/nginx/mime.types|$d/mime.types|" -e "s|/etc/nginx/conf.d/|$d/conf.d/|" \
        -e '/sites-enabled/d' \
        -e "s|^http {|http {\n    client_body_temp_path $d/tmp/body;\n    proxy_temp_path $d/tmp/proxy;\n    fastcgi_temp_path $d/tmp/fastcgi;\n    uwsgi_temp_path $d/tmp/uwsgi;\n    scgi_temp_path $d/tmp/scgi;|" \
        "$deploy/nginx/nginx.conf" >"$d/nginx.conf"
    [ ${#runner[@]} -gt 0 ] && chown -R nobody "$d"
    if out=$(as_user nginx -p "$d" -c "$d/nginx.conf" -t 2>&1); then
        pass nginx-production "nginx.conf + sanayicin.conf + snippets: ok (throw-away certificate, ports $p80/$p443/$p8080)"
        nginx_prod_dir=$d nginx_stub_port=$p8080
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
    # sized for the production machine: start with it if memory allows. Its
    # archive_command finds the pgBackRest check's file through
    # PGBACKREST_CONFIG in the server's environment.
    pgbackrest_scratch_conf || { fail postgresql "no pgbackrest.conf for archive_command"; return; }
    if ! as_user env PGBACKREST_CONFIG="$pgbr_conf" "$pgbin/pg_ctl" -D "$pg_data" -l "$d/server.log" -w -t 60 \
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
    # The roles and database that the pgBouncer check and dump.sh use.
    as_user "$pgbin/psql" -h "$pg_sock" -p "$pg_port" -U postgres -X -q -v ON_ERROR_STOP=1 \
        -c "SET password_encryption = 'scram-sha-256'" \
        -c "CREATE ROLE sanayicin LOGIN PASSWORD 'check-app-password'" \
        -c "CREATE ROLE pgbouncer_admin LOGIN PASSWORD 'check-admin-password'" \
        -c "CREATE ROLE pgbouncer_stats LOGIN PASSWORD 'check-stats-password'" \
        -c "CREATE ROLE prometheus LOGIN IN ROLE pg_monitor" \
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
         WHERE rolname IN ('sanayicin', 'pgbouncer_admin', 'pgbouncer_stats')" >"$d/userlist.txt"
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
        PGDATABASE=sanayicin "$deploy/scripts/dump.sh" dump --dir "$d" 2>&1); then
        fail backup "dump:"; printf '%s\n' "$out" | sed 's/^/      | /'; return
    fi
    local file
    file=$(find "$d" -maxdepth 1 -name 'sanayicin-*.dump' | head -n 1)
    if ! out=$(as_user env PATH="$pgbin:$PATH" PGHOST="$pg_sock" PGPORT="$pg_port" PGUSER=postgres \
        "$deploy/scripts/dump.sh" restore-test "$file" 2>&1); then
        fail backup "restore-test:"; printf '%s\n' "$out" | sed 's/^/      | /'; return
    fi
    if [ ! -f "$d/last-success" ] || [ ! -f "$file.sha256" ]; then
        fail backup "no last-success stamp or checksum"; return
    fi
    pass backup "dump + restore-test: $(grep -o 'messages=[0-9]*' <<<"$out" | head -n 1)"
}

# ---- pgBackRest -------------------------------------------------------------------------
# The shipped pgbackrest.conf with this run's folders. Static: pgBackRest
# reads it without a warning (an unknown or misplaced option is one). Live,
# against the PostgreSQL check's cluster, whose archive_command (as shipped)
# pushes into it: backup.sh init (stanza-create, then check: a WAL segment
# reaches the repository), backup.sh full, and the status it leaves for
# Prometheus and monit. Restores: the deploy_pitr_roundtrip test.
pgbr_conf=$work/pgbackrest/pgbackrest.conf
pgbackrest_scratch_conf() {
    mkdir_user "$work/pgbackrest/log" "$work/pgbackrest/metrics" "$work/pgbackrest/state"
    scratch_pgbackrest_conf "$deploy/pgbackrest/pgbackrest.conf" "$work/pgbackrest" \
        "$work/pg/data" "${pg_port:-5432}" "$work/pg" >"$work/pgbackrest.conf.new" &&
        as_user tee "$pgbr_conf" <"$work/pgbackrest.conf.new" >/dev/null
}

check_pgbackrest() {
    if ! have pgbackrest; then skip pgbackrest "pgbackrest not installed (apt-get install pgbackrest)"; return; fi
    if [ ! -f "$pgbr_conf" ] && ! pgbackrest_scratch_conf; then fail pgbackrest "pgbackrest.conf's paths"; return; fi
    local out d=$work/pgbackrest
    out=$(as_user pgbackrest --config="$pgbr_conf" --stanza=sanayicin info 2>&1 >/dev/null || true)
    if [ -n "$out" ]; then
        fail pgbackrest "pgbackrest.conf:"; printf '%s\n' "$out" | sed 's/^/      | /'; return
    fi
    if [ "$live" -eq 0 ] || [ -z "$pg_port" ]; then
        pass pgbackrest "pgbackrest.conf read without a warning (no backup: --no-live or no PostgreSQL)"; return
    fi
    local env=(env PGBACKREST_CONFIG="$pgbr_conf" SANAYICIN_PG_BIN="$pgbin"
        SANAYICIN_METRICS_DIR="$d/metrics" SANAYICIN_BACKUP_STATE="$d/state")
    if ! out=$(as_user "${env[@]}" "$deploy/scripts/backup.sh" init 2>&1) ||
        ! out=$(as_user "${env[@]}" "$deploy/scripts/backup.sh" full 2>&1); then
        fail pgbackrest "backup.sh:"; printf '%s\n' "$out" | sed 's/^/      | /'; show "$work/pg/server.log" 5; return
    fi
    if ! grep -q '^sanayicin_backup_last_run_success{type="full"} 1$' "$d/metrics/sanayicin-backup-full.prom" ||
        [ ! -f "$d/state/sanayicin-backup.success" ]; then
        fail pgbackrest "no status for Prometheus or no stamp for monit after the backup"; return
    fi
    pass pgbackrest "shipped conf: stanza-create, archiving reaches the repository, full backup ($(grep -o '[0-9]* bytes' <<<"$out")), status written"
}

# ---- Redis -------------------------------------------------------------------------
redis_port="" redis_pw=""
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
    sed -e "s|#SHA256-OF-THE-EXPORTER-PASSWORD|#$hash|" "$deploy/redis/users-exporter.acl.example" >>"$d/users.acl"
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
    # Left running for the monit and exporter checks; the cleanup stops it.
    redis_port=$port redis_pw=$pw
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

# ---- nftables ------------------------------------------------------------------------
# nft -c: the kernel parses and checks the ruleset without applying it. Then,
# as root where network namespaces can be made, the ruleset loaded for real
# in a namespace of its own (the host's firewall is never touched), with
# listeners on every port that matters bound to all addresses, and
# connections from a second namespace through a veth pair: from an ordinary
# address only 22, 80 and 443 connect; from the monitoring host the exporter
# ports too; the databases from neither.
check_nftables() {
    if ! have nft; then skip nftables "nft not installed (apt-get install nftables)"; return; fi
    local f=$deploy/nftables/sanayicin.nft out
    if [ "$(id -u)" -eq 0 ]; then
        out=$(nft -c -f "$f" 2>&1) || { fail nftables "nft -c:"; printf '%s\n' "$out" | sed 's/^/      | /'; return; }
    elif have unshare && unshare -rn true 2>/dev/null; then
        out=$(unshare -rn nft -c -f "$f" 2>&1) || { fail nftables "nft -c:"; printf '%s\n' "$out" | sed 's/^/      | /'; return; }
    else
        skip nftables "nft -c needs root or user namespaces"; return
    fi
    if [ "$live" -eq 0 ] || [ "$(id -u)" -ne 0 ] || ! have ip || ! have python3; then
        pass nftables "nft -c ok (not loaded: --no-live, not root, or no ip/python3)"; return
    fi
    local srv_ns=sanfw-srv-$$ cli_ns=sanfw-cli-$$ d=$work/nftables
    mkdir -p "$d"
    if ! ip netns add "$srv_ns" 2>/dev/null; then
        pass nftables "nft -c ok (no network namespaces here: not loaded)"; return
    fi
    netns_cleanup+=("$srv_ns" "$cli_ns")
    ip netns add "$cli_ns"
    ip link add "sanfw$$s" type veth peer name "sanfw$$c"
    ip link set "sanfw$$s" netns "$srv_ns"
    ip link set "sanfw$$c" netns "$cli_ns"
    ip -n "$srv_ns" addr add 192.0.2.1/24 dev "sanfw$$s"
    ip -n "$cli_ns" addr add 192.0.2.10/24 dev "sanfw$$c"   # the monitoring host of the shipped defines
    ip -n "$cli_ns" addr add 192.0.2.20/24 dev "sanfw$$c"   # anyone else
    ip -n "$srv_ns" link set lo up; ip -n "$srv_ns" link set "sanfw$$s" up
    ip -n "$cli_ns" link set lo up; ip -n "$cli_ns" link set "sanfw$$c" up
    if ! out=$(ip netns exec "$srv_ns" nft -f "$f" 2>&1); then
        fail nftables "loading in a namespace:"; printf '%s\n' "$out" | sed 's/^/      | /'; return
    fi
    # Listeners on every port that matters, all addresses; they end by themselves.
    ip netns exec "$srv_ns" python3 -c '
import socket, sys, time
socks = []
for port in map(int, sys.argv[1:]):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port)); s.listen(16); socks.append(s)
print("ready", flush=True)
time.sleep(30)
' 22 80 443 5432 6432 6379 8080 8081 9090 9093 9100 9182 9187 >"$d/listen.log" 2>&1 &
    local lpid=$!
    echo "$lpid" >"$d/listen.pid"; pidfiles+=("$d/listen.pid")
    for _ in $(seq 1 50); do grep -q ready "$d/listen.log" && break; sleep 0.1; done
    out=$(ip netns exec "$cli_ns" python3 -c '
import socket, sys
res = []
for src in ("192.0.2.20", "192.0.2.10"):
    for port in (22, 80, 443, 5432, 6432, 6379, 8080, 8081, 9090, 9093, 9100, 9182, 9187):
        s = socket.socket(); s.bind((src, 0)); s.settimeout(0.5)
        try:
            s.connect(("192.0.2.1", port)); res.append("%s:%d" % (src, port))
        except OSError:
            pass
        s.close()
print(" ".join(res))
' 2>&1)
    kill "$lpid" 2>/dev/null || true
    local want="192.0.2.20:22 192.0.2.20:80 192.0.2.20:443 192.0.2.10:22 192.0.2.10:80 192.0.2.10:443 192.0.2.10:9100 192.0.2.10:9182 192.0.2.10:9187"
    if [ "$out" = "$want" ]; then
        pass nftables "nft -c ok; loaded in a namespace: others reach 22 80 443 only, the monitoring host also 9100 9182 9187; 5432 6432 6379 8080 8081 9090 9093 from neither"
    else
        fail nftables "connected: $out; expected: $want"
    fi
}

# ---- exporters -----------------------------------------------------------------------
# Debian's exporters with the shipped settings (deploy/monitoring/exporters),
# on free loopback ports, against the services started above (the production
# nginx for stub_status, PostgreSQL, pgBouncer, Redis with the exporter's ACL
# user, the host): each answers, and every metric that
# infrastructure-alerts.yml reads from it exists in what it serves, so an
# alert cannot wait forever on a series nobody exports.
check_exporters() {
    if [ "$live" -eq 0 ]; then skip exporters "--no-live"; return; fi
    local e
    for e in node postgres pgbouncer redis nginx; do
        have "prometheus-$e-exporter" || { skip exporters "prometheus-$e-exporter not installed"; return; }
    done
    if [ -z "$pg_port" ] || [ -z "$pgb_port" ] || [ -z "$redis_port" ] || [ -z "$nginx_prod_dir" ]; then
        skip exporters "needs the PostgreSQL, pgBouncer, Redis and nginx-production checks"; return
    fi
    local d=$work/exporters x=$deploy/monitoring/exporters problems=() port dsn args
    mkdir_user "$d"
    # The production nginx, for its stub_status (ports were made free above).
    if ! as_user nginx -p "$nginx_prod_dir" -c "$nginx_prod_dir/nginx.conf" >"$d/nginx.log" 2>&1; then
        fail exporters "production nginx did not start"; show "$d/nginx.log"; return
    fi
    pidfiles+=("$nginx_prod_dir/nginx.pid")
    wait_port "$nginx_stub_port" 50 || problems+=("stub_status not listening")
    # Each exporter: its shipped arguments, with this run's addresses.
    declare -A eport
    args=$(sed -n 's/^ARGS="\(.*\)"$/\1/p' "$x/prometheus-node-exporter.default")
    port=$(free_port); eport[node]=$port
    # shellcheck disable=SC2086 # ARGS is a word list, as in Debian's unit
    start_bg "$d/node.pid" "$d/node.log" prometheus-node-exporter ${args//127.0.0.1:9100/127.0.0.1:$port}
    dsn=$(sed -n "s/^DATA_SOURCE_NAME='\(.*\)'$/\1/p" "$x/prometheus-postgres-exporter.default")
    dsn=${dsn//host=\/var\/run\/postgresql/host=$pg_sock port=$pg_port}
    args=$(sed -n 's/^ARGS="\(.*\)"$/\1/p' "$x/prometheus-postgres-exporter.default")
    port=$(free_port); eport[postgres]=$port
    # shellcheck disable=SC2086
    start_bg "$d/postgres.pid" "$d/postgres.log" env DATA_SOURCE_NAME="$dsn" \
        prometheus-postgres-exporter ${args//127.0.0.1:9187/127.0.0.1:$port}
    port=$(free_port); eport[pgbouncer]=$port
    sed -e "s/^port = .*/port = $port/" -e "s/^pgbouncer-port = .*/pgbouncer-port = $pgb_port/" \
        "$x/prometheus-pgbouncer-exporter.conf" >"$d/pgbouncer-exporter.conf"
    # Through the compatibility start of the shipped drop-in (pgBouncer 1.18).
    start_bg "$d/pgbouncer.pid" "$d/pgbouncer.log" env PGPASSWORD=check-stats-password \
        python3 "$x/pgbouncer-exporter-compat.py" --config "$d/pgbouncer-exporter.conf"
    args=$(sed -n 's/^ARGS="\(.*\)"$/\1/p' "$x/prometheus-redis-exporter.default")
    port=$(free_port); eport[redis]=$port
    args=${args//127.0.0.1:9121/127.0.0.1:$port}
    # shellcheck disable=SC2086
    start_bg "$d/redis.pid" "$d/redis.log" env REDIS_PASSWORD="$redis_pw" \
        prometheus-redis-exporter ${args//127.0.0.1:6379/127.0.0.1:$redis_port}
    args=$(sed -n 's/^ARGS="\(.*\)"$/\1/p' "$x/prometheus-nginx-exporter.default")
    port=$(free_port); eport[nginx]=$port
    args=${args//127.0.0.1:9113/127.0.0.1:$port}
    # shellcheck disable=SC2086
    start_bg "$d/nginx-exporter.pid" "$d/nginx-exporter.log" prometheus-nginx-exporter ${args//127.0.0.1:8080/127.0.0.1:$nginx_stub_port}
    local names=$d/names.txt body ok=0
    : >"$names"
    for e in node postgres pgbouncer redis nginx; do
        body=""
        for _ in $(seq 1 50); do
            body=$(curl -s --max-time 5 "http://127.0.0.1:${eport[$e]}/metrics" || true)
            # The first scrape after a start can miss a collector: wait for the gauge that says up.
            case $e in
            postgres) grep -q '^pg_up 1' <<<"$body" && break ;;
            redis) grep -q '^redis_up 1' <<<"$body" && break ;;
            nginx) grep -q '^nginx_up 1' <<<"$body" && break ;;
            pgbouncer) grep -q '^pgbouncer_used_clients ' <<<"$body" && break ;;
            node) grep -q '^node_memory_MemTotal_bytes ' <<<"$body" && break ;;
            esac
            sleep 0.2
        done
        if ! grep -q '^# TYPE' <<<"$body"; then problems+=("$e exporter does not answer: $(tail -n 2 "$d/$e.log" 2>/dev/null | tr '\n' ' ')"); continue; fi
        ok=$((ok + 1))
        sed -n 's/^\([a-zA-Z_:][a-zA-Z0-9_:]*\).*/\1/p' <<<"$body" | sort -u >>"$names"
    done
    grep -q '^pg_up 1' <<<"$(curl -s "http://127.0.0.1:${eport[postgres]}/metrics")" || problems+=("pg_up is not 1")
    # Every exporter metric the rules read.
    local wanted missing
    wanted=$(python3 -c 'import sys, yaml
for g in yaml.safe_load(open(sys.argv[1]))["groups"]:
    for r in g["rules"]:
        print(r["expr"])' "$deploy/monitoring/infrastructure-alerts.yml" |
        grep -oE '\b(node|pg|pgbouncer|redis|nginx)_[a-zA-Z0-9_]+' | sort -u)
    # The conntrack gauges exist only while the kernel tracks connections
    # (a firewall with ct rules loaded, as in production).
    if [ ! -e /proc/sys/net/netfilter/nf_conntrack_count ]; then
        wanted=$(grep -v '^node_nf_conntrack_' <<<"$wanted")
    fi
    missing=$(comm -23 <(printf '%s\n' "$wanted") <(sort -u "$names") | tr '\n' ' ')
    [ -z "$missing" ] || problems+=("metrics the alerts read but no exporter serves: $missing")
    if [ ${#problems[@]} -eq 0 ]; then
        pass exporters "$ok exporters with the shipped settings; all $(wc -w <<<"$wanted") metrics the alerts read are served"
    else
        fail exporters "$(printf '%s; ' "${problems[@]}")"
    fi
}

# ---- Alertmanager ----------------------------------------------------------------------
# amtool check-config and the routing tree (page, ticket, heartbeat); then,
# live, a real Alertmanager on the shipped file with the shipped arguments
# (webhooks pointed at a local receiver, mail at a closed port, group waits
# of 1 s): a PostgresDown and a SanayicindNotReady arrive together, the
# pager's webhook gets the cause, the symptom is inhibited by it, and the
# heartbeat reaches the dead man's switch.
check_alertmanager() {
    if ! have amtool || ! have prometheus-alertmanager; then
        skip alertmanager "prometheus-alertmanager not installed"; return
    fi
    local f=$deploy/monitoring/alertmanager.yml out r problems=()
    if ! out=$(amtool check-config "$f" 2>&1); then
        fail alertmanager "amtool check-config:"; printf '%s\n' "$out" | sed 's/^/      | /'; return
    fi
    for r in "severity=page:oncall" "severity=ticket:ops-mail" "alertname=Watchdog severity=heartbeat:deadmans-switch"; do
        # shellcheck disable=SC2086 # the labels are separate words
        out=$(amtool config routes test --config.file="$f" ${r%%:*} 2>/dev/null || true)
        [ "$out" = "${r##*:}" ] || problems+=("${r%%:*} goes to '$out', not ${r##*:}")
    done
    if [ "$live" -eq 0 ] || ! have python3 || ! have jq; then
        if [ ${#problems[@]} -eq 0 ]; then pass alertmanager "config and routes ok (not started)"; else fail alertmanager "$(printf '%s; ' "${problems[@]}")"; fi
        return
    fi
    local d=$work/alertmanager hook am smtp args
    mkdir_user "$d"
    hook=$(free_port) am=$(free_port) smtp=$(free_port)
    sed -e "s|http://127.0.0.1:9095/|http://127.0.0.1:$hook/|" -e "s|localhost:25|127.0.0.1:$smtp|" \
        -e 's|group_wait: .*|group_wait: 1s|' "$f" >"$d/alertmanager.yml"
    # The receiver: records each POST's path and body, ends by itself.
    start_bg "$d/hook.pid" "$d/hook.log" python3 -c '
import http.server, sys, threading
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(sys.argv[2], "ab") as out:
            out.write(self.path.encode() + b" " + body + b"\n")
        self.send_response(200); self.end_headers()
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H)
threading.Timer(120, s.shutdown).start()
s.serve_forever()
' "$hook" "$d/received.txt"
    args=$(sed -n 's/^ARGS="\(.*\)"$/\1/p' "$deploy/monitoring/exporters/prometheus-alertmanager.default")
    # shellcheck disable=SC2086 # ARGS is a word list, as in Debian's unit
    start_bg "$d/am.pid" "$d/am.log" prometheus-alertmanager --config.file="$d/alertmanager.yml" \
        --storage.path="$d/data" ${args//127.0.0.1:9093/127.0.0.1:$am}
    if ! wait_port "$am" 100 || ! wait_port "$hook" 50; then
        fail alertmanager "did not start"; show "$d/am.log"; return
    fi
    local base=http://127.0.0.1:$am/api/v2
    curl -s --max-time 5 -X POST -H 'Content-Type: application/json' --data '[
      {"labels": {"alertname": "PostgresDown", "severity": "page", "service": "sanayicin", "instance": "127.0.0.1:9187"},
       "annotations": {"summary": "PostgreSQL does not answer its exporter (127.0.0.1:9187)"}},
      {"labels": {"alertname": "SanayicindNotReady", "severity": "page", "service": "sanayicin", "instance": "127.0.0.1:8081"}},
      {"labels": {"alertname": "Watchdog", "severity": "heartbeat", "service": "sanayicin"}}
    ]' "$base/alerts" >/dev/null
    for _ in $(seq 1 100); do
        grep -q '^/page .*PostgresDown' "$d/received.txt" 2>/dev/null && grep -q '^/heartbeat ' "$d/received.txt" && break
        sleep 0.1
    done
    grep -q '^/page .*PostgresDown' "$d/received.txt" 2>/dev/null || problems+=("the pager's webhook got no PostgresDown")
    grep -q '^/heartbeat .*Watchdog' "$d/received.txt" 2>/dev/null || problems+=("the dead man's switch got no heartbeat")
    ! grep -q 'SanayicindNotReady' "$d/received.txt" 2>/dev/null || problems+=("the inhibited SanayicindNotReady was sent")
    out=$(curl -s --max-time 5 "$base/alerts?filter=alertname%3D%22SanayicindNotReady%22" |
        jq -r '.[0].status.state + " " + (.[0].status.inhibitedBy | length | tostring)' 2>/dev/null || true)
    [ "$out" = "suppressed 1" ] || problems+=("SanayicindNotReady is '$out', not suppressed by one inhibition")
    kill "$(cat "$d/am.pid")" "$(cat "$d/hook.pid")" 2>/dev/null || true
    if [ ${#problems[@]} -eq 0 ]; then
        pass alertmanager "config, routes; live: PostgresDown reached the pager's webhook, SanayicindNotReady inhibited by it, heartbeat delivered"
    else
        fail alertmanager "$(printf '%s; ' "${problems[@]}")"; show "$d/am.log" 5
    fi
}

# ---- monit -----------------------------------------------------------------------------
# The shipped file as Debian's monitrc includes it, with the paths of this
# run: monit -t, then a real monit on it (its interface on a Unix socket in
# the temp folder, every start/stop program replaced by /bin/true and every
# check left unmonitored at its start, so that it never touches this
# machine's services): `monit summary` lists every check, `monit monitor` and
# `monit unmonitor` work over the socket with the file's credentials, the
# poll time is the file's 30 s over Debian's 120, no check depends on
# another, and its Redis test passes against the shipped redis.conf (ACL).
monit_rc() { # folder -> writes folder/monitrc
    local d=$1
    {
        printf 'set daemon 120\nset log %s/monit.log\nset idfile %s/id\nset statefile %s/state\n' "$d" "$d" "$d"
        printf 'set pidfile %s/monitd.pid\nset eventqueue basedir %s/events slots 100\n' "$d" "$d"
        sed -e "s|/run/monit.sock uid root gid root|$d/monit.sock|" \
            -e 's#\(start\|stop\) program = "[^"]*"#\1 program = "/bin/true"#' \
            -e '/^set alert /d' -e 's/^check .*/&\n    onreboot nostart/' \
            -e "s|/run/sanayicin/\([0-9]\)/sanayicind.pid|$d/sanayicind-\\1.pid|" \
            -e "s|host chat.example.com port 443|host 127.0.0.1 port 443|" \
            -e "s|port 6379 protocol redis|port ${redis_port:-6379} protocol redis|" \
            -e "s|/run/redis/redis-server.pid|$work/redis/redis.pid|" \
            "$deploy/monit/sanayicin"
    } >"$d/monitrc"
    chmod 0600 "$d/monitrc"
    # Never let the test copy run a program of the host's (systemctl).
    ! grep -v '^ *#' "$d/monitrc" | grep -q systemctl
}

check_monit() {
    if ! have monit; then skip monit "monit not installed (apt-get install monit)"; return; fi
    local d=$work/monit out n problems=()
    mkdir -p "$d"
    if ! monit_rc "$d"; then fail monit "the test copy still runs systemctl"; return; fi
    [ ${#runner[@]} -gt 0 ] && chown -R nobody "$d"
    if ! out=$(as_user monit -t -c "$d/monitrc" 2>&1); then
        fail monit; printf '%s\n' "$out" | sed 's/^/      | /'; return
    fi
    n=$(grep -c '^check ' "$deploy/monit/sanayicin")
    if grep -q '^ *depends on' "$deploy/monit/sanayicin"; then
        problems+=("a check depends on another (a restart would stop its dependants)")
    fi
    out=$(as_user monit -v -t -c "$d/monitrc" 2>&1 | grep -o 'Poll time *= [0-9]* seconds' || true)
    [[ $out =~ =\ 30\ seconds ]] || problems+=("poll time: ${out:-none}")
    if [ "$live" -eq 0 ]; then
        if [ ${#problems[@]} -eq 0 ]; then pass monit "control file syntax ok ($n checks)"; else fail monit "$(printf '%s; ' "${problems[@]}")"; fi
        return
    fi
    # Once a second, so that the Redis test has run when we look.
    echo 'set daemon 1 with start delay 0' >>"$d/monitrc"
    start_bg "$d/monit.pid" "$d/stdout.log" monit -I -c "$d/monitrc"
    for _ in $(seq 1 50); do [ -S "$d/monit.sock" ] && break; sleep 0.1; done
    out=$(as_user monit -c "$d/monitrc" summary 2>&1 || true)
    [ "$(grep -cE '^ (sanayicind-[0-9]|nginx|pgbouncer|postgresql|postgresql-data|redis|sanayicin-backup|sanayicin-restore-drill) ' <<<"$out")" -eq "$n" ] ||
        problems+=("summary does not list the $n checks: $(tr '\n' ' ' <<<"$out")")
    local redis_note=""
    if [ -n "$redis_port" ]; then
        # monit's Redis test sends PING unauthenticated: NOAUTH must count as up.
        as_user monit -c "$d/monitrc" monitor redis >/dev/null 2>&1 || problems+=("monit monitor refused")
        for _ in $(seq 1 50); do
            out=$(as_user monit -c "$d/monitrc" status redis 2>&1 || true)
            grep -q 'port response time' <<<"$out" && break
            sleep 0.2
        done
        if grep -q 'port response time' <<<"$out" && grep -qE '^  status +OK' <<<"$out"; then
            redis_note=", its Redis test ok against the shipped ACL"
        else
            problems+=("monit's Redis test: $(grep -E 'status|port' <<<"$out" | tr '\n' ' ')")
        fi
        as_user monit -c "$d/monitrc" unmonitor redis >/dev/null 2>&1 || problems+=("unmonitor refused")
        for _ in $(seq 1 25); do
            as_user monit -c "$d/monitrc" status redis 2>&1 | grep -qE '^  status +Not monitored' && break
            sleep 0.2
        done
        as_user monit -c "$d/monitrc" status redis 2>&1 | grep -qE '^  status +Not monitored' ||
            problems+=("redis still monitored after monit unmonitor")
    fi
    kill "$(cat "$d/monit.pid")" 2>/dev/null || true
    if [ ${#problems[@]} -eq 0 ]; then
        pass monit "syntax ok, $n checks, none depends on another, 30 s cycle; live: summary, monitor/unmonitor over its socket$redis_note"
    else
        fail monit "$(printf '%s; ' "${problems[@]}")"; show "$d/monit.log" 8
    fi
}

echo "deploy/ checks in $work${daemon:+ (daemon: $daemon)}"
check_shellcheck
check_systemd
check_unit_hardening
check_daemon_settings
check_nginx_production
check_nginx_test_variant
check_nginx_live
check_postgresql
check_pgbouncer
check_daemon_through_pgbouncer
check_backup
check_pgbackrest
check_redis
check_prometheus
check_alertmanager
check_dashboard
check_monit
check_nftables
check_exporters
check_sysctl
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
