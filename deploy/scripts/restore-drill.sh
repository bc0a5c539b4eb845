#!/usr/bin/env bash
# The restore drill: proves that the newest backup and the WAL archive after
# it restore into a working database, without touching the live one.
#
#   restore-drill.sh [--scratch DIR] [--port N] [--replay-timeout SECONDS] [--keep]
#
#   1. notes the live database's newest message id and schema version
#      (libpq's environment: PGHOST, PGPORT; database PGDATABASE, default
#      sanayicin), then `pgbackrest check`: the WAL segment holding that
#      message is in the repository afterwards;
#   2. restores the newest backup into DIR/data (default
#      /var/lib/sanayicin-drill; it needs the database's size free) with
#      archiving off, so the copy never pushes WAL into the repository;
#   3. starts PostgreSQL on it (small: shared_buffers 64MB, 10 connections)
#      on a Unix socket in DIR only (no TCP), port N
#      (default 5499), replays the whole archive and waits until it is
#      promoted (at most --replay-timeout, default 14400 s);
#   4. checks it: the same schema version; the live newest message id (1.)
#      present; every message up to it that the live database still has is
#      there too; the message id counter not behind the messages;
#   5. stops it and removes DIR/data (--keep leaves both for a look).
# Exit 0 when every check passed. The status goes to Prometheus and monit as
# in backup.sh: sanayicin_restore_drill_last_run_success,
# ..._last_success_timestamp_seconds, ..._last_duration_seconds,
# ..._restored_messages, ..._restored_last_message_id; the stamp
# SANAYICIN_BACKUP_STATE/sanayicin-restore-drill.success.
#
# Runs as the postgres user (sanayicin-restore-drill.service). Settings:
# backup-lib.sh.
set -euo pipefail
umask 077
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=backup-lib.sh
. "$here/backup-lib.sh"
log_name=restore-drill

scratch=/var/lib/sanayicin-drill
port=5499
replay_timeout=14400
keep=0
export PGDATABASE=${PGDATABASE:-sanayicin}
while [ $# -gt 0 ]; do
    case $1 in
    --scratch) scratch=${2:?--scratch needs a folder}; shift 2 ;;
    --port) port=${2:?}; shift 2 ;;
    --replay-timeout) replay_timeout=${2:?}; shift 2 ;;
    --keep) keep=1; shift ;;
    -h | --help) sed -n '2,28p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
    *) die "unknown argument $1" ;;
    esac
done
[[ $port =~ ^[0-9]+$ ]] || die "--port must be a number"
[[ $replay_timeout =~ ^[0-9]+$ ]] || die "--replay-timeout must be a number"
bin=$(pg_bin)
[ -x "$bin/pg_ctl" ] || die "no PostgreSQL programs in '$bin' (SANAYICIN_PG_BIN)"
data=$scratch/data

# Globals for the EXIT trap.
started=$(date +%s) ok=0 extra=""
finish() {
    if [ -f "$data/postmaster.pid" ]; then
        "$bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [ "$keep" -eq 0 ]; then rm -rf "$data" "$scratch/spool"; fi
    write_status sanayicin_restore_drill "" sanayicin-restore-drill "$ok" "$started" "$extra"
}
trap finish EXIT
trap 'exit 143' TERM INT

live_sql() { "$bin/psql" -X -A -t -q -v ON_ERROR_STOP=1 -c "$1"; }
copy_sql() { "$bin/psql" -h "$scratch" -p "$port" -U postgres -X -A -t -q -v ON_ERROR_STOP=1 -c "$1"; }

one_at_a_time
# 1. What the copy must hold at least.
live_max=$(live_sql "SELECT COALESCE(MAX(id), 0) FROM messages") || die "cannot read the live database"
live_version=$(live_sql "SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
log "live database: newest message id $live_max, schema version $live_version"
pgbackrest_run check
log "the WAL up to now is in the repository"

# 2. The newest backup, with archiving off in the copy.
mkdir -p "$scratch"
chmod 0700 "$scratch"
rm -rf "$data"
mkdir -m 0700 "$data"
log "restoring the newest backup into $data"
# Nothing of the live cluster's asynchronous archive-push may be touched:
# a restore empties the spool's queue (the pushes waiting for their
# acknowledgements there would wait for archive-timeout), so the drill has
# a spool of its own; and the copy fetches WAL synchronously, since an
# asynchronous archive-get would hold the stanza's archive lock the pushes
# need.
pgbackrest_run --pg1-path="$data" --spool-path="$scratch/spool" --type=default --archive-mode=off --delta=n \
    --recovery-option="restore_command=pgbackrest --stanza=$stanza --pg1-path=$data --no-archive-async archive-get %f \"%p\"" \
    restore
# Debian keeps postgresql.conf and pg_hba.conf in /etc, outside the backup:
# the copy gets its own. Only its owner may enter DIR, where the socket is.
: >"$data/postgresql.conf"
: >"$data/pg_ident.conf"
echo 'local all all trust' >"$data/pg_hba.conf"

# 3. Settings on the command line win over the restored postgresql.auto.conf.
# hot_standby off: no connections before the end of recovery, and no
# requirement that max_connections and friends match the live server's.
log "replaying the archive (at most $replay_timeout s)"
"$bin/pg_ctl" -D "$data" -l "$scratch/server.log" -w -t 300 -o "-c port=$port -c listen_addresses='' \
    -c unix_socket_directories='$scratch' -c archive_mode=off -c hot_standby=off \
    -c shared_buffers=64MB -c max_connections=10 -c jit=off -c shared_preload_libraries='' \
    -c logging_collector=off -c cluster_name=sanayicin-drill" start >/dev/null ||
    { tail -n 20 "$scratch/server.log" >&2; die "the copy did not start"; }
deadline=$(($(date +%s) + replay_timeout))
until [ "$(copy_sql "SELECT pg_is_in_recovery()" 2>/dev/null)" = f ]; do
    if ! "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        tail -n 20 "$scratch/server.log" >&2
        die "the copy stopped during recovery"
    fi
    [ "$(date +%s)" -lt "$deadline" ] || die "recovery not finished after $replay_timeout s"
    sleep 1
done
log "recovered and promoted in $(($(date +%s) - started)) s; checking"

# 4. The checks.
checks=$(copy_sql "
SELECT 'schema_version=' || COALESCE(MAX(version), 0) FROM schema_migrations;
SELECT 'users=' || count(*) FROM users;
SELECT 'conversations=' || count(*) FROM conversations;
SELECT 'messages=' || count(*) FROM messages;
SELECT 'last_message_id=' || COALESCE(MAX(id), 0) FROM messages;
SELECT 'messages_upto_live=' || count(*) FROM messages WHERE id <= $live_max;
SELECT 'id_counter_ok=' || ((SELECT value FROM id_counters WHERE name = 'message')
                            >= COALESCE((SELECT MAX(id) FROM messages), 0));") || die "cannot read the copy"
printf '%s\n' "$checks" | sed 's/^/    /' >&2
value() { sed -n "s/^$1=//p" <<<"$checks"; }
# Read after the restore: rows deleted meanwhile (moderation, retention) are
# missing here but still in the copy, never the other way round.
live_upto=$(live_sql "SELECT count(*) FROM messages WHERE id <= $live_max")
[ "$(value schema_version)" = "$live_version" ] ||
    die "schema version $(value schema_version) in the copy, $live_version live"
[ "$(value last_message_id)" -ge "$live_max" ] ||
    die "the copy's newest message is $(value last_message_id), older than the live $live_max"
[ "$(value messages_upto_live)" -ge "$live_upto" ] ||
    die "the copy has $(value messages_upto_live) messages up to id $live_max, the live database $live_upto"
[ "$(value id_counter_ok)" = true ] || die "the message id counter is behind the messages in the copy"

# 5. Done: the EXIT trap stops and removes the copy.
"$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
extra="restored_messages $(value messages)
restored_last_message_id $(value last_message_id)"
ok=1
log "restore drill passed in $(($(date +%s) - started)) s"
