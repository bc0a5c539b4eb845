#!/usr/bin/env bash
# Logical backups of the Sanayicin database with pg_dump, and a restore test:
# for a copy before a major upgrade or to pick single rows out of, by hand.
# The scheduled backups are pgBackRest's (backup.sh, restore.sh).
#
#   dump.sh dump [--dir DIR] [--keep-days N] [--keep-min N]
#       pg_dump in custom format into DIR (default /var/backups/sanayicin),
#       checked with pg_restore --list, with a .sha256 beside it; then deletes
#       dumps older than N days (default 14) but always keeps the newest
#       --keep-min (default 7); then touches DIR/last-success.
#   dump.sh restore-test FILE
#       restores FILE into a scratch database, checks it (schema version,
#       messages, the id counter), and drops the scratch database again.
#   dump.sh list [--dir DIR]
#
# Connection: libpq's own environment (PGHOST, PGPORT, PGUSER, PGDATABASE,
# default database "sanayicin") and, for a password, ~/.pgpass or PGPASSFILE.
# Run it as the postgres user over the local socket and no password is
# involved at all. Connect to PostgreSQL directly,
# never through pgBouncer: pg_dump needs a session of its own. This script
# never takes a password on its command line and never prints one; it
# refuses a connection URL with a password in it.
set -euo pipefail
umask 077

dir=/var/backups/sanayicin
keep_days=14
keep_min=7
export PGDATABASE=${PGDATABASE:-sanayicin}

log() { printf '%s dump: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

usage() {
    sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

no_password_in_url() {
    # postgresql://user:secret@host/... carries a password: refuse it so it
    # cannot land in a process list, a log or a shell history.
    if [[ ${PGDATABASE} =~ ^postgres(ql)?://[^/@]*:[^/@]*@ ]]; then
        die "PGDATABASE holds a password; use ~/.pgpass or PGPASSFILE instead"
    fi
}

parse_common() {
    while [ $# -gt 0 ]; do
        case $1 in
        --dir) dir=${2:?--dir needs a folder}; shift 2 ;;
        --keep-days) keep_days=${2:?}; shift 2 ;;
        --keep-min) keep_min=${2:?}; shift 2 ;;
        -h | --help) usage ;;
        *) die "unknown argument $1" ;;
        esac
    done
    [[ $keep_days =~ ^[0-9]+$ ]] || die "--keep-days must be a number"
    [[ $keep_min =~ ^[0-9]+$ ]] || die "--keep-min must be a number"
}

cmd_dump() {
    parse_common "$@"
    no_password_in_url
    mkdir -p "$dir"
    exec 9>"$dir/.lock"
    flock -n 9 || die "another backup is running in $dir"

    local stamp started size
    stamp=$(date -u +%Y%m%dT%H%M%SZ)
    # Globals: the EXIT trap runs after this function's locals are gone.
    file="$dir/sanayicin-$stamp.dump"
    tmp="$file.partial"
    trap 'rm -f "$tmp"' EXIT
    started=$(date +%s)
    log "dumping database ${PGDATABASE##*/} to $file"
    # --no-password: fail instead of waiting for a prompt nobody answers.
    pg_dump --format=custom --compress=6 --no-password \
        --lock-wait-timeout=60000 --file="$tmp"
    # The archive's table of contents must read back.
    pg_restore --list "$tmp" >/dev/null || die "pg_restore cannot read the new dump"
    (cd "$dir" && sha256sum "$(basename "$tmp")" | sed 's/\.partial$//' >"$(basename "$file").sha256")
    mv "$tmp" "$file"
    trap - EXIT
    size=$(du -h "$file" | cut -f1)
    log "done in $(($(date +%s) - started)) s, $size"

    prune
    touch "$dir/last-success"
}

prune() {
    # Newest first; the first keep_min always stay.
    local -a dumps
    mapfile -t dumps < <(find "$dir" -maxdepth 1 -name 'sanayicin-*.dump' -printf '%T@ %p\n' |
        sort -rn | cut -d' ' -f2-)
    local i=0 f
    for f in "${dumps[@]}"; do
        i=$((i + 1))
        [ "$i" -le "$keep_min" ] && continue
        if [ -n "$(find "$f" -maxdepth 0 -mtime "+$keep_days")" ]; then
            log "removing $f (older than $keep_days days)"
            rm -f "$f" "$f.sha256"
        fi
    done
}

cmd_list() {
    parse_common "$@"
    find "$dir" -maxdepth 1 -name 'sanayicin-*.dump' -printf '%TY-%Tm-%Td %TH:%TM  %10s  %p\n' | sort
}

cmd_restore_test() {
    local file=${1:-}
    if [ -z "$file" ] || [ ! -f "$file" ]; then die "restore-test needs an existing dump file"; fi
    no_password_in_url
    if [ -f "$file.sha256" ]; then
        (cd "$(dirname "$file")" && sha256sum --check --quiet "$(basename "$file").sha256") ||
            die "checksum mismatch for $file"
        log "checksum ok"
    fi
    # The scratch database lives beside the real one; createdb and dropdb
    # connect to "postgres" to make and remove it. Globals, so that the EXIT
    # trap still sees them after an error.
    scratch="sanayicin_restore_test_$$"
    admin=(--no-password --maintenance-db=postgres)
    trap 'dropdb "${admin[@]}" --if-exists "$scratch" >/dev/null 2>&1 || true' EXIT
    log "restoring $file into scratch database $scratch"
    createdb "${admin[@]}" "$scratch"
    local started
    started=$(date +%s)
    pg_restore --no-password --exit-on-error --no-owner --no-acl --jobs=2 \
        --dbname="$scratch" "$file"
    log "restored in $(($(date +%s) - started)) s; checking"
    local checks
    checks=$(psql --no-password --dbname="$scratch" -X -A -t -v ON_ERROR_STOP=1 <<'SQL'
SELECT 'schema_version=' || COALESCE(MAX(version), 0) FROM schema_migrations;
SELECT 'users=' || count(*) FROM users;
SELECT 'conversations=' || count(*) FROM conversations;
SELECT 'messages=' || count(*) FROM messages;
SELECT 'id_counter_ok=' || ((SELECT value FROM id_counters WHERE name = 'message')
                            >= COALESCE((SELECT MAX(id) FROM messages), 0));
SQL
    )
    printf '%s\n' "$checks" | sed 's/^/    /' >&2
    grep -q '^id_counter_ok=true$' <<<"$checks" || die "the message id counter is behind the messages"
    grep -q '^schema_version=[1-9]' <<<"$checks" || die "no schema version in the restored database"
    dropdb "${admin[@]}" "$scratch"
    trap - EXIT
    log "restore test passed; scratch database dropped"
}

sub=${1:-}
[ $# -gt 0 ] && shift
case $sub in
dump) cmd_dump "$@" ;;
list) cmd_list "$@" ;;
restore-test) cmd_restore_test "$@" ;;
-h | --help | "") usage ;;
*) die "unknown command $sub (dump, list, restore-test)" ;;
esac
