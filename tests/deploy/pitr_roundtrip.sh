#!/usr/bin/env bash
# Point-in-time recovery, round trip, with the shipped pgBackRest settings
# and scripts (deploy/pgbackrest/pgbackrest.conf, the archive lines of
# deploy/postgresql/sanayicin.conf, backup.sh, restore-drill.sh, restore.sh):
#
#   1. a scratch PostgreSQL cluster on a free loopback port, archiving
#      through the shipped archive_command into a scratch repository;
#      `sanayicind migrate`; rows written with the daemon's own group commit
#      (sanayicin_store_messages);
#   2. backup.sh init and full; a backup of a stanza that does not exist
#      fails and says so in its status;
#   3. rows A; the restore drill (restores the full backup plus the WAL
#      since, checks it against the live cluster); the time T; rows B;
#      backup.sh check (the WAL holding B is archived); stop;
#   4. restore.sh --target-time T, start: A there, B not;
#   5. restore.sh --latest --target-timeline current (the timeline that B
#      was written on, which step 4 branched off), start: A and B there;
#   6. rows C, whose WAL segment is then removed from the repository: the
#      drill fails and its status says so.
#
#   pitr_roundtrip.sh --daemon PATH [--keep]
#
# Everything lives in one temp folder and listens on 127.0.0.1 (or on a
# Unix socket in the folder); as root it runs as nobody. It stops only what
# it started, by its PID or data directory. About 25-45 s.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
daemon="" keep=0
while [ $# -gt 0 ]; do
    case $1 in
    --daemon) daemon=${2:?}; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "pitr_roundtrip.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -x "$daemon" ] || { echo "pitr_roundtrip.sh: --daemon PATH to sanayicind needed" >&2; exit 2; }
command -v pgbackrest >/dev/null || { echo "pgbackrest not installed (tools/packages.txt)" >&2; exit 1; }
pgbin=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d | sort -V | tail -n 1)

# $work, $runner (nobody, as root), as_user, free_port.
# shellcheck source-path=SCRIPTDIR source=../../deploy/scripts/scratch-lib.sh
. "$repo/deploy/scripts/scratch-lib.sh"
scratch_setup sanayicin-pitr
# The checkout may be readable by root only (CI): the scripts, the shipped
# files and the daemon are used from copies here.
mkdir -p "$work/deploy/scripts" "$work/deploy/pgbackrest" "$work/deploy/postgresql" "$work/bin"
cp "$repo"/deploy/scripts/{backup-lib,backup,restore,restore-drill}.sh "$work/deploy/scripts/"
cp "$repo/deploy/pgbackrest/pgbackrest.conf" "$work/deploy/pgbackrest/"
cp "$repo/deploy/postgresql/sanayicin.conf" "$work/deploy/postgresql/"
cp "$daemon" "$work/bin/sanayicind"
scripts=$work/deploy/scripts
cd "$work"

data=$work/pg/data sock=$work/pg
cleanup() {
    local status=$?
    if [ -f "$data/postmaster.pid" ]; then
        as_user "$pgbin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    # pgBackRest's asynchronous archive-push detaches from PostgreSQL and
    # ends by itself once its queue is empty: wait for its lock, kill nothing.
    for _ in $(seq 1 100); do
        flock -n "$work/lock/sanayicin-archive.lock" true 2>/dev/null && break
        [ -e "$work/lock/sanayicin-archive.lock" ] || break
        sleep 0.1
    done
    if [ "$status" -ne 0 ]; then
        echo "--- PostgreSQL log"; tail -n 30 "$work/pg/server.log" 2>/dev/null || true
        echo "--- pgBackRest logs"; tail -n 15 "$work"/log/*.log 2>/dev/null || true
    fi
    if [ "$keep" -eq 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
# A timeout's SIGTERM or ^C ends through the cleanup too (the clusters
# started here would outlive the script otherwise).
trap 'exit 143' TERM INT

fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "pitr $(date +%T) $*"; }

port=$(free_port)

# ---- 1. the cluster, archiving as shipped --------------------------------------------
# The shipped pgBackRest file with this folder's paths.
scratch_pgbackrest_conf "$work/deploy/pgbackrest/pgbackrest.conf" "$work" "$data" "$port" "$sock" \
    >"$work/pgbackrest.conf" || fail "pgbackrest.conf"
mkdir -p "$work/pg" "$work/metrics" "$work/state" "$work/log"
[ ${#runner[@]} -gt 0 ] && chown -R nobody "$work"
export PGBACKREST_CONFIG=$work/pgbackrest.conf
# A push waits this long for its acknowledgement (120 s as shipped): a
# lost one (the drill once emptied the live spool) shows up as a failed
# archive command in the server log, checked at the end.
export PGBACKREST_ARCHIVE_TIMEOUT=30
export SANAYICIN_PG_BIN=$pgbin SANAYICIN_METRICS_DIR=$work/metrics SANAYICIN_BACKUP_STATE=$work/state
export PGHOST=$sock PGPORT=$port PGUSER=postgres PGDATABASE=sanayicin

step "initdb, port $port"
as_user "$pgbin/initdb" --no-sync -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$work/initdb.log"
# The archive lines of the shipped conf.d snippet, as they are.
grep -E '^(wal_level|archive_mode|archive_command|archive_timeout) *=' "$work/deploy/postgresql/sanayicin.conf" |
    as_user tee "$data/archive.conf" >/dev/null
[ "$(grep -c . "$data/archive.conf")" -eq 4 ] || fail "sanayicin.conf lacks an archive setting: $(cat "$data/archive.conf")"
echo "include 'archive.conf'" | as_user tee -a "$data/postgresql.conf" >/dev/null

# archive_command and restore_command find pgBackRest's file through
# PGBACKREST_CONFIG in the server's environment.
pg_start() {
    as_user "$pgbin/pg_ctl" -D "$data" -l "$work/pg/server.log" -w -t 60 \
        -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$sock -c fsync=off" \
        start >/dev/null || fail "PostgreSQL did not start"
    local deadline=$((SECONDS + 60))
    until [ "$(PGDATABASE=postgres sql "SELECT pg_is_in_recovery()" 2>/dev/null)" = f ]; do
        [ $SECONDS -lt $deadline ] || fail "recovery did not end within 60 s"
        as_user "$pgbin/pg_ctl" -D "$data" status >/dev/null 2>&1 || fail "PostgreSQL stopped during recovery"
        sleep 0.2
    done
}
pg_stop() { as_user "$pgbin/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null; }
sql() { as_user "$pgbin/psql" -X -A -t -q -v ON_ERROR_STOP=1 -c "$1"; }

pg_start
PGDATABASE=postgres sql "CREATE DATABASE sanayicin"
step "sanayicind migrate"
as_user env SANAYICIN_DATABASE="postgresql://postgres@127.0.0.1:$port/sanayicin" QT_ENABLE_REGEXP_JIT=0 \
    "$work/bin/sanayicind" --data-dir "$work/state" migrate >"$work/migrate.log" 2>&1 ||
    { cat "$work/migrate.log"; fail "migrate"; }
sql "INSERT INTO users (username, display_name, role, password_hash, created_at)
       VALUES ('pitr_a', 'A', 'customer', 'x', 0), ('pitr_b', 'B', 'tradesman', 'x', 0);
     INSERT INTO conversations (user_a, user_b, created_at)
       SELECT min(id), max(id), 0 FROM users;
     INSERT INTO participants (conversation_id, user_id, peer_id)
       SELECT c.id, c.user_a, c.user_b FROM conversations c
       UNION ALL SELECT c.id, c.user_b, c.user_a FROM conversations c"

# N messages whose client ids start with LABEL-, through the daemon's group commit.
store() { # label n
    local n
    n=$(sql "SELECT count(*) FROM (SELECT id, user_a FROM conversations LIMIT 1) c,
        sanayicin_store_messages(
            array_fill(c.user_a, ARRAY[$2]),
            array_fill(c.id, ARRAY[$2]),
            ARRAY(SELECT '$1-' || g FROM generate_series(1, $2) g),
            ARRAY(SELECT 'message $1 ' || g FROM generate_series(1, $2) g),
            (extract(epoch FROM clock_timestamp()) * 1000)::bigint) s WHERE NOT s.duplicate" 2>&1 |
        tail -n 1)
    [ "$n" = "$2" ] || fail "storing $2 messages $1: $n"
}
count() { sql "SELECT count(*) FROM messages WHERE client_msg_id LIKE '$1-%'"; }
store base 500

# ---- 2. backups ------------------------------------------------------------------------
step "backup.sh init, full"
as_user "$scripts/backup.sh" init
as_user "$scripts/backup.sh" full
prom=$work/metrics/sanayicin-backup-full.prom
grep -q '^sanayicin_backup_last_run_success{type="full"} 1$' "$prom" || fail "full backup status: $(cat "$prom")"
grep -qE '^sanayicin_backup_size_bytes\{type="full"\} [1-9][0-9]*$' "$prom" || fail "no backup size: $(cat "$prom")"
[ -f "$work/state/sanayicin-backup-full.success" ] || fail "no success stamp"
# A backup that fails says so; the last success stays what it was (never).
if as_user env SANAYICIN_STANZA=missing "$scripts/backup.sh" diff 2>"$work/missing.log"; then
    fail "a backup of a missing stanza succeeded"
fi
grep -q '^sanayicin_backup_last_run_success{type="diff"} 0$' "$work/metrics/sanayicin-backup-diff.prom" ||
    fail "failed backup status: $(cat "$work/metrics/sanayicin-backup-diff.prom")"
grep -q '^sanayicin_backup_last_success_timestamp_seconds{type="diff"} 0$' "$work/metrics/sanayicin-backup-diff.prom" ||
    fail "a failed backup counted as a success"

# ---- 3. A, the drill, T, B ---------------------------------------------------------------
store a 300
step "restore drill"
drill_port=$(free_port)
# The live cluster's push acknowledgements wait in the spool's folder of
# the stanza; a restore removes that folder in the spool it is given, so
# the drill must use a spool of its own.
probe=$work/spool/archive/sanayicin/drill-probe
as_user mkdir -p "$(dirname "$probe")"
as_user touch "$probe"
as_user "$scripts/restore-drill.sh" --scratch "$work/drill" --port "$drill_port" --replay-timeout 60 ||
    fail "restore drill"
[ -f "$probe" ] || fail "the drill emptied the live cluster's spool"
as_user rm -f "$probe"
prom=$work/metrics/sanayicin-restore-drill.prom
grep -q '^sanayicin_restore_drill_last_run_success 1$' "$prom" || fail "drill status: $(cat "$prom")"
# The drill restored the full backup (500) plus A (300) from the WAL archive.
grep -q '^sanayicin_restore_drill_restored_messages 800$' "$prom" || fail "drill restored: $(cat "$prom")"
[ ! -e "$work/drill/data" ] || fail "the drill left its copy behind"

target=$(sql "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'")
store b 200
step "T = $target; A $(count a), B $(count b); archiving B"
as_user "$scripts/backup.sh" check
pg_stop

# ---- 4. back to T ------------------------------------------------------------------------
step "restore.sh --target-time '$target'"
as_user "$scripts/restore.sh" --target-time "$target" --pg-data "$data" --yes
pg_start
a=$(count a) b=$(count b)
if [ "$a" != 300 ] || [ "$b" != 0 ]; then fail "restored to T: A $a (want 300), B $b (want 0)"; fi
step "at T: A $a, B $b"
pg_stop

# ---- 5. to the end of B's timeline ---------------------------------------------------------------
step "restore.sh --latest --target-timeline current"
# Started by root here (as in production), restore.sh runs pgBackRest as
# the data directory's owner itself.
"$scripts/restore.sh" --latest --target-timeline current --pg-data "$data" --yes
pg_start
a=$(count a) b=$(count b)
if [ "$a" != 300 ] || [ "$b" != 200 ]; then fail "restored to latest: A $a (want 300), B $b (want 200)"; fi
# A running cluster is refused, and so is a time without its zone.
refused() { # what restore.sh must say, its arguments...
    local want=$1 out
    shift
    if out=$(as_user "$scripts/restore.sh" "$@" --pg-data "$data" --yes 2>&1); then
        fail "restore.sh $* went ahead: $out"
    fi
    grep -q "$want" <<<"$out" || fail "restore.sh $*: $out"
}
refused 'PostgreSQL is running' --latest
refused 'with a time zone' --target-time "${target%+00}"
step "latest: A $a, B $b; a running cluster and a time without zone refused"

# ---- 6. a gap in the archive fails the drill ----------------------------------------------------
# Rows C, their segment archived and then lost from the repository: the
# drill's copy stops replaying before C, which it must notice.
store c 100
segment=$(sql "SELECT pg_walfile_name(pg_current_wal_lsn())")
as_user "$scripts/backup.sh" check
lost=$(find "$work/repo/archive" -name "$segment-*")
[ -n "$lost" ] || fail "segment $segment not in the repository"
rm -f "$lost"
if as_user "$scripts/restore-drill.sh" --scratch "$work/drill" --port "$drill_port" --replay-timeout 60 \
    2>"$work/drill-gap.log"; then
    fail "the drill passed without the segment holding C"
fi
grep -q "older than the live" "$work/drill-gap.log" || fail "drill with a gap: $(tail -n 3 "$work/drill-gap.log")"
prom=$work/metrics/sanayicin-restore-drill.prom
grep -q '^sanayicin_restore_drill_last_run_success 0$' "$prom" || fail "failed drill status: $(cat "$prom")"
grep -qE '^sanayicin_restore_drill_last_success_timestamp_seconds [1-9]' "$prom" ||
    fail "the failed drill lost the last success: $(cat "$prom")"
step "segment $segment removed: the drill failed and says so"
pg_stop
if grep 'archive command failed' "$work/pg/server.log"; then fail "a WAL push failed or timed out"; fi
echo "PASS: point-in-time recovery round trip"
