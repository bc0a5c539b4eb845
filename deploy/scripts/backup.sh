#!/usr/bin/env bash
# Backups of the Sanayicin database with pgBackRest (continuous WAL archiving
# plus full and differential backups; deploy/pgbackrest/pgbackrest.conf).
#
#   backup.sh full | diff | incr
#       a backup of that type (pgBackRest expires what retention no longer
#       needs afterwards), then its status for Prometheus and monit
#   backup.sh init
#       once, after archive_mode is on: creates the stanza in the repository
#       and checks that archiving reaches it (pgbackrest stanza-create, check)
#   backup.sh check
#       pgbackrest check: switches to a new WAL segment and waits until it is
#       in the repository
#   backup.sh info
#
# Runs as the postgres user (sanayicin-backup@full.service and @diff do),
# which owns the data directory and logs in over the local socket: no
# password anywhere. Settings: backup-lib.sh (PGBACKREST_CONFIG,
# SANAYICIN_STANZA, SANAYICIN_BACKUP_STATE, SANAYICIN_METRICS_DIR).
#
# Exported status (textfile collector), per type:
#   sanayicin_backup_last_run_success{type}, ..._last_success_timestamp_seconds,
#   ..._last_run_timestamp_seconds, ..._last_duration_seconds,
#   ..._size_bytes (the backup in the repository), ..._repo_size_bytes (every
#   backup kept, the WAL archive aside)
# The stamps SANAYICIN_BACKUP_STATE/sanayicin-backup-TYPE.success and
# sanayicin-backup.success (any type; monit watches it) are touched after each
# success.
set -euo pipefail
umask 077
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=backup-lib.sh
. "$here/backup-lib.sh"
log_name=backup

usage() {
    sed -n '2,28p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

cmd_backup() { # full | diff | incr
    # Globals: the EXIT trap runs after this function's locals are gone.
    type=$1 ok=0 extra=""
    started=$(date +%s)
    # Whatever ends the run (an error, SIGTERM from systemd's timeout), the
    # status says so.
    trap 'exit 143' TERM INT
    trap 'write_status sanayicin_backup "type=\"$type\"" "sanayicin-backup-$type" "$ok" "$started" "$extra"' EXIT
    one_at_a_time
    log "$type backup of stanza $stanza"
    pgbackrest_run --type="$type" backup
    ok=1
    # Any type: monit watches that some backup succeeded within a day.
    touch "$state_dir/sanayicin-backup.success" 2>/dev/null || log "cannot write $state_dir: no success stamp"
    local size repo
    size=$(info_value "info[0]['backup'][-1]['info']['repository']['delta']")
    repo=$(info_value "sum(b['info']['repository']['delta'] for b in info[0]['backup'])")
    # Without python3 (info_value) the sizes are left out.
    extra="${size:+size_bytes $size}
${repo:+repo_size_bytes $repo}"
    log "$type backup done in $(($(date +%s) - started)) s, ${size:-?} bytes in the repository"
}

sub=${1:-}
[ $# -gt 0 ] && shift
case $sub in
full | diff | incr) cmd_backup "$sub" ;;
init)
    pgbackrest_run stanza-create
    pgbackrest_run check
    log "stanza $stanza created; archiving reaches the repository"
    ;;
check) pgbackrest_run check ;;
info) pgbackrest_run info ;;
-h | --help | "") usage ;;
*) die "unknown command $sub (full, diff, incr, init, check, info)" ;;
esac
