#!/usr/bin/env bash
# Installs a version of the sanayicind package, then restarts the instances
# one at a time; rolls back to the previous version when one fails:
#
#   deploy.sh [--deb FILE] [--releases FOLDER] [--keep N] [--no-rollback]
#             [--instances "1 2 3"] [--timeout SECONDS] [--pause SECONDS]
#             [--web-src FOLDER] [--web-root FOLDER] [--skip-migrate] [--force]
#
#   1. every instance's /readyz must answer 200 first (--force skips this);
#   2. with --deb: the .deb is copied into --releases (default
#      /var/lib/sanayicin/releases, where the running version's .deb must
#      already be, from the deploy that installed it, unless --no-rollback)
#      and installed with dpkg -i, whose postinst runs the migrations; the
#      newest --keep (3) .debs stay, the running and previous ones always;
#      without --deb: migrations run once (systemctl start
#      sanayicind-migrate.service) unless --skip-migrate;
#   3. for each instance: restart it (SIGTERM drains it: its WebSockets close
#      with 1001 and reconnect through nginx to the others), wait until its
#      /readyz answers 200 (at most --timeout seconds), wait --pause seconds
#      for reconnects to settle, then the next one. Never takes a ready one
#      down while no other is ready;
#   4. then each active job worker (sanayicin-worker@N) and the scheduler
#      are restarted the same way (no /readyz: systemctl restart is the check);
#   5. with --web-src, the web page (resources/web) is copied into --web-root
#      (default /srv/sanayicin/web) last, once every instance runs the new
#      version the page may talk to.
# When an instance is not ready in time after a --deb install, the previous
# .deb is installed again and every instance restarted so far (the failed
# one included) is restarted on it, one at a time: exit status 3 after a
# rollback that worked, 4 when the rollback failed too. Any other failure
# stops the deploy there, with that instance's last log lines: exit 1.
# Every step is logged with a UTC time on standard output.
#
# Instances default to the active sanayicind@N units; each one's address is
# SANAYICIN_LISTEN in /etc/sanayicin/instance-N.env (else 127.0.0.1:808N).
# Process control is pluggable: SANAYICIN_SYSTEMCTL and SANAYICIN_JOURNALCTL
# (commands used instead of systemctl and journalctl; tests run instances as
# child processes through tests/deploy/unit_runner.py), SANAYICIN_DPKG and
# SANAYICIN_DPKG_QUERY (instead of dpkg and dpkg-query, e.g. with --root),
# SANAYICIN_ETC (instead of /etc/sanayicin).
set -euo pipefail

read -r -a systemctl_cmd <<<"${SANAYICIN_SYSTEMCTL:-systemctl}"
read -r -a journalctl_cmd <<<"${SANAYICIN_JOURNALCTL:-journalctl}"
read -r -a dpkg_cmd <<<"${SANAYICIN_DPKG:-dpkg}"
read -r -a dpkg_query_cmd <<<"${SANAYICIN_DPKG_QUERY:-dpkg-query}"
etc=${SANAYICIN_ETC:-/etc/sanayicin}

deb=""
releases=/var/lib/sanayicin/releases
keep=3
rollback=1

instances=""
timeout=90
pause=10
web_src=""
web_root=/srv/sanayicin/web
migrate=1
force=0

log() { printf '%s deploy: %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { printf '%s deploy: FAILED: %s\n' "$(date -u +%H:%M:%S)" "$1" >&2; exit "${2:-1}"; } # message [status]
usage() {
    sed -n '2,40p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

while [ $# -gt 0 ]; do
    case $1 in
    --deb) deb=${2:?}; shift 2 ;;
    --releases) releases=${2:?}; shift 2 ;;
    --keep) keep=${2:?}; shift 2 ;;
    --no-rollback) rollback=0; shift ;;
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
[[ $keep =~ ^[1-9][0-9]*$ ]] || die "--keep must be a count above 0"
if [ -n "$deb" ]; then
    [ -f "$deb" ] || die "--deb $deb: no such file"
    [ "$(dpkg-deb -f "$deb" Package 2>/dev/null)" = sanayicind ] || die "--deb $deb is not a sanayicind package"
fi
if [ -n "$web_src" ] && [ ! -f "$web_src/index.html" ]; then
    die "--web-src $web_src has no index.html"
fi

if [ -z "$instances" ]; then
    instances=$("${systemctl_cmd[@]}" list-units --type=service --state=active --plain --no-legend 'sanayicind@*' |
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
    "${journalctl_cmd[@]}" -u "$1" -n 40 --no-pager >&2 || true
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

# ---- the package ----------------------------------------------------------------------
installed_version() {
    # shellcheck disable=SC2016 # dpkg-query's own ${field} syntax
    "${dpkg_query_cmd[@]}" -W -f='${db:Status-Abbrev} ${Version}\n' sanayicind 2>/dev/null |
        sed -n 's/^ii  *//p' || true # not installed: empty
}
# The kept .deb of version $1 (any architecture); empty when there is none.
kept_deb() {
    local f
    for f in "$releases/sanayicind_$1_"*.deb; do
        [ -f "$f" ] && { printf '%s' "$f"; return; }
    done
    return 0
}

new_version="" old_version="" previous_deb=""
if [ -n "$deb" ]; then
    new_version=$(dpkg-deb -f "$deb" Version)
    old_version=$(installed_version)
    mkdir -p "$releases"
    if [ -n "$old_version" ]; then
        previous_deb=$(kept_deb "$old_version")
        if [ -z "$previous_deb" ] && [ "$rollback" -eq 1 ]; then
            die "no .deb of the running version $old_version in $releases, so no way back: put it there, or --no-rollback"
        fi
    fi
    # Kept under its canonical name, copied beside then renamed.
    kept="$releases/sanayicind_${new_version}_$(dpkg-deb -f "$deb" Architecture).deb"
    if [ "$(realpath "$deb")" != "$(realpath -m "$kept")" ]; then
        cp "$deb" "$kept.new"
        mv -f "$kept.new" "$kept"
    fi
    # This script may be the package's own /usr/lib/sanayicin/deploy.sh:
    # dpkg replaces it by a rename, and bash reads on from the old file it
    # holds open.
    log "package: installing sanayicind $new_version (running: ${old_version:-none}; kept in $releases)"
    if ! "${dpkg_cmd[@]}" -i "$kept"; then
        if [ -n "$previous_deb" ]; then
            log "package: dpkg -i failed; installing $old_version again"
            "${dpkg_cmd[@]}" -i "$previous_deb" || die "dpkg -i of $new_version failed, and so did going back to $old_version" 4
            die "dpkg -i of sanayicind $new_version failed; $old_version installed again, no instance was restarted"
        fi
        die "dpkg -i of sanayicind $new_version failed; no instance was restarted"
    fi
    log "package: sanayicind $(installed_version) installed (its postinst ran the migrations)"
    # The newest $keep, and always the running and the previous version.
    mapfile -t old_debs < <(find "$releases" -maxdepth 1 -name 'sanayicind_*.deb' -printf '%T@ %p\n' |
        sort -rn | tail -n +"$((keep + 1))" | cut -d' ' -f2-)
    for f in "${old_debs[@]}"; do
        [ "$f" = "$kept" ] || [ "$f" = "$previous_deb" ] && continue
        log "package: removing the old $(basename "$f")"
        rm -f "$f"
    done
elif [ "$migrate" -eq 1 ]; then
    log "migrations: systemctl start sanayicind-migrate.service"
    if ! "${systemctl_cmd[@]}" start sanayicind-migrate.service; then
        show_log sanayicind-migrate.service
        die "migrations failed; no instance was restarted"
    fi
fi

# ---- the instances, one at a time ------------------------------------------------------
# Restarts sanayicind@$1 and waits for its /readyz; false when it failed.
restart_one() {
    local started=$SECONDS
    log "restarting sanayicind@$1 (SIGTERM: drain)"
    if ! "${systemctl_cmd[@]}" restart "sanayicind@$1.service"; then
        show_log "sanayicind@$1.service"
        log "systemctl restart sanayicind@$1 failed"
        return 1
    fi
    if ! wait_ready "$1"; then
        show_log "sanayicind@$1.service"
        log "sanayicind@$1 not ready within $timeout s"
        return 1
    fi
    log "sanayicind@$1 ready after $((SECONDS - started)) s"
}

# Back to $old_version: its .deb again, then every instance in "$@" restarted
# on it, one at a time. Exits 3 when all came back, 4 otherwise.
# The job worker(s) and the scheduler run the same binary: each active one
# is restarted (SIGTERM: a worker hands back the job in hand, the scheduler
# its lease). They serve no /readyz; systemctl restart failing is the check.
restart_job_units() {
    local unit ok=0
    for pattern in 'sanayicin-worker@*' 'sanayicin-scheduler*'; do
        while read -r unit; do
            [ -n "$unit" ] || continue
            log "restarting $unit"
            if ! "${systemctl_cmd[@]}" restart "$unit"; then
                show_log "$unit"
                log "systemctl restart $unit failed"
                ok=1
            fi
        done < <("${systemctl_cmd[@]}" list-units --type=service --state=active --plain --no-legend "$pattern" |
            awk '{ print $1 }')
    done
    return "$ok"
}

roll_back() {
    local i failed=0
    log "rollback: installing sanayicind $old_version again ($previous_deb)"
    if ! "${dpkg_cmd[@]}" -i "$previous_deb"; then
        die "rollback: dpkg -i $previous_deb failed; instances $* run $new_version or not at all" 4
    fi
    for i in "$@"; do
        restart_one "$i" || failed=$((failed + 1))
    done
    restart_job_units || failed=$((failed + 1))
    [ "$failed" -eq 0 ] || die "rollback: $failed instance(s) or job units not up on $old_version either" 4
    die "sanayicind $new_version rolled back to $old_version: instances $* restarted on it and ready" 3
}

restarted=()
for i in "${ids[@]}"; do
    # Taking down the last instance that serves is refused; one that does
    # not serve (a first install, a crashed one) costs nothing to restart.
    if [ ${#ids[@]} -gt 1 ] && ready "$i"; then
        other_ready=0
        for j in "${ids[@]}"; do
            [ "$j" = "$i" ] && continue
            if ready "$j"; then other_ready=1; break; fi
        done
        [ "$other_ready" -eq 1 ] ||
            die "no other instance is ready; not taking sanayicind@$i down (${#restarted[@]} restarted)"
    fi
    if ! restart_one "$i"; then
        if [ -n "$previous_deb" ]; then
            roll_back "${restarted[@]}" "$i"
        fi
        die "sanayicind@$i failed (${#restarted[@]} of ${#ids[@]} restarted${deb:+; no previous .deb to roll back to})"
    fi
    restarted+=("$i")
    if [ ${#restarted[@]} -lt ${#ids[@]} ] && [ "$pause" -gt 0 ]; then
        log "pausing $pause s for reconnects to settle"
        sleep "$pause"
    fi
done

if ! restart_job_units; then
    if [ -n "$previous_deb" ]; then
        roll_back "${restarted[@]}"
    fi
    die "a job unit did not restart (the instances run the new version)"
fi

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

log "done: ${#ids[@]} instances restarted and ready${new_version:+ on sanayicind $new_version}"
