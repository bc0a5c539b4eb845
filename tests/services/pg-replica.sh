#!/usr/bin/env bash
# PostgreSQL with a streaming replica on free loopback ports, for the
# primary-switch tests:
#
#   pg-replica.sh start STATE          a primary and a replica (pg_basebackup -R
#                                      as a replication role), in sync
#   pg-replica.sh stop-primary STATE   stops the primary (fast shutdown)
#   pg-replica.sh promote STATE        promotes the replica (pg_ctl promote)
#   pg-replica.sh stop STATE           stops both
#
# STATE/env holds:
#   SANAYICIN_TEST_PG_FAILOVER_URL  postgresql://...@P1,P2/sanayicin_test
#                                   ?target_session_attrs=read-write
#   SANAYICIN_TEST_PG_PRIMARY_PORT, SANAYICIN_TEST_PG_REPLICA_PORT
set -euo pipefail

cmd=${1:?start, stop-primary, promote or stop}
state=${2:?state folder}
pgbin=$(find /usr/lib/postgresql/*/bin -maxdepth 0 | sort -V | tail -n 1)
# shellcheck source=tests/services/lib.sh
. "$(dirname "$0")/lib.sh"

pg_start() { # folder, port
    as_postgres "$pgbin/pg_ctl" -D "$1/data" -l "$1/server.log" -w -t 60 \
        -o "-p $2 -c listen_addresses=127.0.0.1 -c unix_socket_directories=$1 -c fsync=off -c max_connections=100" \
        start >/dev/null
}

psql_at() { # port, SQL
    as_postgres "$pgbin/psql" -h 127.0.0.1 -p "$1" -U postgres -d postgres -qtA -v ON_ERROR_STOP=1 -c "$2"
}

stop_one() { # folder
    if [ -f "$1/data/postmaster.pid" ]; then
        as_postgres "$pgbin/pg_ctl" -D "$1/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
}

case $cmd in
start)
    stop_one "$state/primary"
    stop_one "$state/replica"
    rm -rf "$state/primary" "$state/replica"
    mkdir -p "$state/primary" "$state/replica"
    chmod 755 "$state"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$state/primary" "$state/replica"
    primary=$(free_port)
    # initdb's pg_hba.conf trusts loopback for replication connections too.
    as_postgres "$pgbin/initdb" --no-sync -D "$state/primary/data" -U postgres -A trust -E UTF8 \
        --locale=C.UTF-8 >"$state/primary/initdb.log"
    pg_start "$state/primary" "$primary"
    psql_at "$primary" "CREATE ROLE replicator REPLICATION LOGIN PASSWORD 'replicator-test'"
    psql_at "$primary" "CREATE ROLE sanayicin LOGIN CREATEDB PASSWORD 'sanayicin-test'"
    psql_at "$primary" "CREATE DATABASE sanayicin_test OWNER sanayicin"
    replica=$(free_port)
    # -R writes standby.signal and primary_conninfo: the copy starts as a
    # streaming replica of the primary; -c fast: no spread checkpoint (minutes).
    as_postgres "$pgbin/pg_basebackup" -h 127.0.0.1 -p "$primary" -U replicator -D "$state/replica/data" \
        -R -X stream -c fast --no-sync >/dev/null
    pg_start "$state/replica" "$replica"
    for _ in $(seq 1 300); do
        [ "$(psql_at "$primary" "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")" = 1 ] && break
        sleep 0.1
    done
    [ "$(psql_at "$primary" "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")" = 1 ] \
        || { echo "the replica does not stream" >&2; exit 1; }
    {
        echo "SANAYICIN_TEST_PG_FAILOVER_URL=postgresql://sanayicin:sanayicin-test@127.0.0.1:$primary,127.0.0.1:$replica/sanayicin_test?target_session_attrs=read-write"
        echo "SANAYICIN_TEST_PG_PRIMARY_PORT=$primary"
        echo "SANAYICIN_TEST_PG_REPLICA_PORT=$replica"
    } >"$state/env"
    echo "pg replica up: $(tr '\n' ' ' <"$state/env")"
    ;;
stop-primary)
    stop_one "$state/primary"
    ;;
promote)
    as_postgres "$pgbin/pg_ctl" -D "$state/replica/data" -w -t 60 promote >/dev/null
    ;;
stop)
    stop_one "$state/primary"
    stop_one "$state/replica"
    ;;
*)
    echo "usage: $0 start|stop-primary|promote|stop STATE" >&2
    exit 2
    ;;
esac
