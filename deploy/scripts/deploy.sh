#!/usr/bin/env bash
# Rolling restart of the sanayicind instances, one at a time, after the new
# binary is installed (/usr/local/bin/sanayicind):
#
#   deploy.sh [--instances "1 2 3"] [--timeout SECONDS] [--pause SECONDS]
#             [--web-src FOLDER] [--web-root FOLDER] [--skip-migrate] [--force]
#
#   1. every instance's /readyz must answer 200 first (--force skips this);
#   2. migrations run once: systemctl start sanayicind-migrate.service;
#   3. for each instance: restart it (SIGTERM drains it: its WebSockets close
#      with 1001 and reconnect through nginx to the others), wait until its
#      /readyz answers 200, wait --pause seconds for reconnects to settle,
#      then the next one. Never restarts one while no other is ready;
#   4. with --web-src, the web page (resources/web) is copied into --web-root
#      (default /srv/sanayicin/web) last, once every instance runs the new
#      version the page may talk to.
# Any failure stops the deploy there, with that instance's last log lines,
# and exits non-zero; instances not yet restarted keep running the old binary.
#
# Instances default to the active sanayicind@N units; each one's address is
# SANAYICIN_LISTEN in /etc/sanayicin/instance-N.env (else 127.0.0.1:808N).
# Environment for tests: SANAYICIN_SYSTEMCTL, SANAYICIN_JOURNALCTL (commands),
# SANAYICIN_ETC (instead of /etc/sanayicin).
set -euo pipefail

systemctl_cmd=${SANAYICIN_SYSTEMCTL:-systemctl}
journalctl_cmd=${SANAYICIN_JOURNALCTL:-journalctl}
etc=${SANAYICIN_ETC:-/etc/sanayicin}

instances=""
timeout=90
pause=10
web_src=""
web_root=/srv/sanayicin/web
migrate=1
force=0

log() { printf '%s deploy: %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { printf '%s deploy: FAILED: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; exit 1; }
usage() {
    sed -n '2,25p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

while [ $# -gt 0 ]; do
    case $1 in
    --instances) instances=${2:?}; shift 2 ;;
    --timeout) timeout=${2:?}; shift 2 ;;
    --pause) pause=${2:?}; shift 2 ;;
    --web-src) web_src=${2:?}; shift 2 ;;
    --web-root) web_root=${2:?}; shift 2 ;;
    --skip-migrate) migrate=0; shift ;;
    --force) force=1; shift ;;
    -h | --help) usage ;;
    *) echo "deploy.sh: unknown argument $1" >&2; usage ;;
    esac
done
[[ $timeout =~ ^[0-9]+$ ]] || die "--timeout must be whole seconds"
[[ $pause =~ ^[0-9]+$ ]] || die "--pause must be whole seconds"
if [ -n "$web_src" ] && [ ! -f "$web_src/index.html" ]; then
    die "--web-src $web_src has no index.html"
fi

if [ -z "$instances" ]; then
    instances=$($systemctl_cmd list-units --type=service --state=active --plain --no-legend 'sanayicind@*' |
        sed -n 's/^sanayicind@\([^.]*\)\.service.*/\1/p' | sort -n | tr '\n' ' ')
fi
read -r -a ids <<<"$instances"
[ ${#ids[@]} -gt 0 ] || die "no instances: none active and none given with --instances"

# The address to probe for instance $1.
address_of() {
    local listen=""
    if [ -f "$etc/instance-$1.env" ]; then
        listen=$(sed -n 's/^[[:space:]]*SANAYICIN_LISTEN=["'\'']\{0,1\}\([^"'\'']*\).*/\1/p' \
            "$etc/instance-$1.env" | tail -n 1)
    fi
    [ -n "$listen" ] || listen="127.0.0.1:$((8080 + $1))"
    # A wildcard listener is reached over loopback.
    listen=${listen/#0.0.0.0:/127.0.0.1:}
    listen=${listen/#\[::\]:/[::1]:}
    printf '%s' "$listen"
}

ready() {
    local code
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://$(address_of "$1")/readyz" || true)
    [ "$code" = 200 ]
}

wait_ready() {
    local deadline=$((SECONDS + timeout))
    while [ $SECONDS -lt "$deadline" ]; do
        ready "$1" && return 0
        sleep 0.5
    done
    return 1
}

show_log() {
    echo "---- last log lines of $1 ----" >&2
    $journalctl_cmd -u "$1" -n 40 --no-pager >&2 || true
}

log "instances: ${ids[*]}"
for i in "${ids[@]}"; do
    log "  sanayicind@$i at $(address_of "$i")"
done

if [ "$force" -eq 0 ]; then
    for i in "${ids[@]}"; do
        ready "$i" || die "sanayicind@$i is not ready before the deploy (fix it first, or --force)"
    done
fi

if [ "$migrate" -eq 1 ]; then
    log "migrations: systemctl start sanayicind-migrate.service"
    if ! $systemctl_cmd start sanayicind-migrate.service; then
        show_log sanayicind-migrate.service
        die "migrations failed; no instance was restarted"
    fi
fi

restarted=0
for i in "${ids[@]}"; do
    if [ ${#ids[@]} -gt 1 ]; then
        other_ready=0
        for j in "${ids[@]}"; do
            [ "$j" = "$i" ] && continue
            if ready "$j"; then other_ready=1; break; fi
        done
        [ "$other_ready" -eq 1 ] ||
            die "no other instance is ready; not taking sanayicind@$i down ($restarted restarted)"
    fi
    log "restarting sanayicind@$i"
    started=$SECONDS
    if ! $systemctl_cmd restart "sanayicind@$i.service"; then
        show_log "sanayicind@$i.service"
        die "systemctl restart sanayicind@$i failed ($restarted of ${#ids[@]} restarted)"
    fi
    if ! wait_ready "$i"; then
        show_log "sanayicind@$i.service"
        die "sanayicind@$i not ready within $timeout s ($restarted of ${#ids[@]} restarted)"
    fi
    restarted=$((restarted + 1))
    log "sanayicind@$i ready after $((SECONDS - started)) s"
    if [ "$restarted" -lt ${#ids[@]} ] && [ "$pause" -gt 0 ]; then
        log "pausing $pause s for reconnects to settle"
        sleep "$pause"
    fi
done

if [ -n "$web_src" ]; then
    log "web page: $web_src -> $web_root"
    mkdir -p "$web_root"
    for f in "$web_src"/*; do
        [ -f "$f" ] || continue
        # Copy beside, then rename: nginx never serves a half-written file.
        name=$(basename "$f")
        cp "$f" "$web_root/.$name.new"
        chmod 0644 "$web_root/.$name.new"
        mv -f "$web_root/.$name.new" "$web_root/$name"
    done
fi

log "done: ${#ids[@]} instances restarted and ready"
