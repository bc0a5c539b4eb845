#!/usr/bin/env bash
# Restores the Sanayicin database from pgBackRest's repository, to a moment
# or to the newest WAL archived, over the stopped cluster's data directory.
# docs/operations.md, "Restoring", is the whole procedure around it (stop the
# instances, stop PostgreSQL, this, start, verify, start the instances).
#
#   restore.sh --target-time TIME [options]   e.g. '2026-12-04 14:05:00+00'
#       every transaction committed up to TIME and none after; TIME needs a
#       time zone (+00, Z, +03:00). PostgreSQL replays the archive up to TIME
#       and then promotes itself: a new timeline starts, later writes go on
#       from there.
#   restore.sh --latest [options]
#       everything in the archive (after the loss of the data directory)
#
# Options:
#   --target-timeline current|latest|N   which timeline to follow (default:
#       latest, the newest one; `current` is the backup's own, for going
#       back to a moment that a previous restore already branched off)
#   --pg-data DIR   the cluster's data directory (/var/lib/postgresql/15/main)
#   --yes           do not ask before overwriting DIR
#
# Run as root (the restore itself runs as postgres) or as the user who owns
# DIR. PostgreSQL must be stopped: the script refuses otherwise. It restores
# with delta (only files that differ are copied), so DIR's old contents are
# overwritten: copy it aside first if it may still be needed. Settings:
# backup-lib.sh (PGBACKREST_CONFIG, SANAYICIN_STANZA, SANAYICIN_PG_BIN).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=backup-lib.sh
. "$here/backup-lib.sh"
log_name=restore

usage() {
    sed -n '2,26p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

target="" latest=0 timeline=latest pg_data=/var/lib/postgresql/15/main yes=0
while [ $# -gt 0 ]; do
    case $1 in
    --target-time) target=${2:?--target-time needs a time}; shift 2 ;;
    --latest) latest=1; shift ;;
    --target-timeline) timeline=${2:?}; shift 2 ;;
    --pg-data) pg_data=${2:?}; shift 2 ;;
    --yes) yes=1; shift ;;
    -h | --help) usage ;;
    *) die "unknown argument $1" ;;
    esac
done
if [ -n "$target" ] && [ "$latest" -eq 1 ]; then die "--target-time or --latest, not both"; fi
if [ -z "$target" ] && [ "$latest" -eq 0 ]; then usage; fi
# A moment without a time zone would be read in the server's zone: refuse
# the ambiguity.
if [ -n "$target" ] &&
    ! [[ $target =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}[\ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?\ ?(Z|UTC|[+-][0-9]{2}(:?[0-9]{2})?)$ ]]; then
    die "--target-time '$target' is not 'YYYY-MM-DD HH:MM[:SS[.ffffff]]' with a time zone (+00, Z, +03:00)"
fi
[[ $timeline =~ ^(current|latest|[0-9]+)$ ]] || die "--target-timeline must be current, latest or a number"

# The restore runs as the owner of the data directory.
owner=$(stat -c %U "$pg_data" 2>/dev/null) || die "no data directory $pg_data (--pg-data)"
as_owner() {
    if [ "$(id -un)" = "$owner" ]; then
        "$@"
    else
        runuser -u "$owner" -- env ${PGBACKREST_CONFIG:+PGBACKREST_CONFIG="$PGBACKREST_CONFIG"} "$@"
    fi
}
bin=$(pg_bin)
if as_owner "$bin/pg_ctl" -D "$pg_data" status >/dev/null 2>&1; then
    die "PostgreSQL is running on $pg_data: stop it first (systemctl stop postgresql@15-main)"
fi

as_owner pgbackrest --stanza="$stanza" info >&2 || die "cannot read the repository"
if [ "$yes" -eq 0 ]; then
    read -r -p "Overwrite $pg_data with the restore? Type yes: " answer
    [ "$answer" = yes ] || die "nothing done"
fi

args=(--pg1-path="$pg_data" --delta --target-timeline="$timeline")
if [ -n "$target" ]; then
    # pgBackRest picks the newest backup that ended before the target.
    args+=(--type=time --target="$target" --target-action=promote)
    log "restoring $pg_data to $target (timeline $timeline)"
else
    args+=(--type=default)
    log "restoring $pg_data to the end of the archive (timeline $timeline)"
fi
started=$(date +%s)
as_owner pgbackrest --stanza="$stanza" "${args[@]}" restore
log "restored in $(($(date +%s) - started)) s. Now start PostgreSQL; it replays the archive"
log "(watch its log) and promotes itself; then verify before starting the instances."
