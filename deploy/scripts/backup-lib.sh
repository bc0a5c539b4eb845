# shellcheck shell=bash
# What backup.sh, restore-drill.sh and restore.sh share; sourced, not run.
# Installed beside them in /usr/local/lib/sanayicin/.
#
# Settings, from the environment (the systemd units set them; tests point
# them at scratch folders):
#   PGBACKREST_CONFIG          pgBackRest's own file (its default: /etc/pgbackrest.conf)
#   SANAYICIN_STANZA           the stanza (sanayicin, as archive_command names it)
#   SANAYICIN_PG_BIN           PostgreSQL's programs (default: the newest
#                              /usr/lib/postgresql/*/bin)
#   SANAYICIN_BACKUP_STATE     where the success stamps live
#                              (/var/lib/sanayicin-backup; monit watches them)
#   SANAYICIN_METRICS_DIR      node_exporter's textfile folder
#                              (/var/lib/prometheus/node-exporter); empty: none

stanza=${SANAYICIN_STANZA:-sanayicin}
state_dir=${SANAYICIN_BACKUP_STATE:-/var/lib/sanayicin-backup}
metrics_dir=${SANAYICIN_METRICS_DIR-/var/lib/prometheus/node-exporter}

log() { printf '%s %s: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${log_name:-backup}" "$*" >&2; }
die() {
    log "error: $*"
    exit 1
}

# PostgreSQL's programs of the version that runs (pg_ctl, psql).
pg_bin() {
    if [ -n "${SANAYICIN_PG_BIN:-}" ]; then
        echo "$SANAYICIN_PG_BIN"
        return
    fi
    find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1
}

pgbackrest_run() { pgbackrest --stanza="$stanza" "$@"; }

# Backups and drills run one at a time (the second waits): together they
# would not fit the host's memory budget (docs/operations.md, "Sizing"),
# and a drill beside a backup would only slow both.
one_at_a_time() {
    mkdir -p "$state_dir"
    exec 9>>"$state_dir/runs.lock"
    if ! flock -n 9; then
        log "waiting for the backup or drill that is running"
        flock 9
    fi
}

# A number of a pgBackRest JSON answer (`info --output=json`), by a Python
# expression over `info` (a list of stanzas); prints nothing when absent.
info_value() { # expression
    command -v python3 >/dev/null || return 0
    pgbackrest_run --output=json info 2>/dev/null | python3 -c '
import json, sys
info = json.load(sys.stdin)
try:
    print(eval(sys.argv[1], {"info": info}))
except (LookupError, TypeError, ValueError):
    pass' "$1"
}

# Writes the status of one job for node_exporter's textfile collector and,
# after a success, touches the stamp that monit watches:
#   PREFIX_last_run_success{LABELS}            1 or 0
#   PREFIX_last_run_timestamp_seconds{LABELS}
#   PREFIX_last_success_timestamp_seconds{LABELS}   0 before the first success
#   PREFIX_last_duration_seconds{LABELS}
# plus any further gauges given as "name value" lines (labels added). The
# file is replaced in one rename: the collector never reads half of it.
write_status() { # prefix labels name ok started [extra lines]
    local prefix=$1 labels=$2 name=$3 ok=$4 started=$5 extra=${6:-}
    local now last=0 stamp=$state_dir/$name.success
    now=$(date +%s)
    if [ -d "$state_dir" ] || mkdir -p "$state_dir" 2>/dev/null; then
        [ "$ok" = 1 ] && touch "$stamp"
        [ -f "$stamp" ] && last=$(stat -c %Y "$stamp")
    else
        log "cannot write $state_dir: no success stamp"
    fi
    if [ -z "$metrics_dir" ]; then return 0; fi
    if [ ! -w "$metrics_dir" ]; then
        log "cannot write $metrics_dir: status not exported (BackupStatusMissing will say so)"
        return 0
    fi
    local tmp=$metrics_dir/.$name.prom.$$ line sel=""
    [ -z "$labels" ] || sel="{$labels}"
    {
        printf '# HELP %s_last_run_success Whether the last run succeeded (1) or failed (0).\n' "$prefix"
        printf '# TYPE %s_last_run_success gauge\n' "$prefix"
        printf '%s_last_run_success%s %s\n' "$prefix" "$sel" "$ok"
        printf '# HELP %s_last_run_timestamp_seconds When the last run ended.\n' "$prefix"
        printf '# TYPE %s_last_run_timestamp_seconds gauge\n' "$prefix"
        printf '%s_last_run_timestamp_seconds%s %s\n' "$prefix" "$sel" "$now"
        printf '# HELP %s_last_success_timestamp_seconds When the last successful run ended (0: never).\n' "$prefix"
        printf '# TYPE %s_last_success_timestamp_seconds gauge\n' "$prefix"
        printf '%s_last_success_timestamp_seconds%s %s\n' "$prefix" "$sel" "$last"
        printf '# HELP %s_last_duration_seconds How long the last run took.\n' "$prefix"
        printf '# TYPE %s_last_duration_seconds gauge\n' "$prefix"
        printf '%s_last_duration_seconds%s %s\n' "$prefix" "$sel" "$((now - started))"
        while read -r line; do
            [ -n "$line" ] || continue
            printf '# TYPE %s_%s gauge\n' "$prefix" "${line%% *}"
            printf '%s_%s%s %s\n' "$prefix" "${line%% *}" "$sel" "${line#* }"
        done <<<"$extra"
    } >"$tmp"
    chmod 0644 "$tmp"
    mv -f "$tmp" "$metrics_dir/$name.prom"
}
