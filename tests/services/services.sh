#!/usr/bin/env bash
# Starts and stops the services the tests talk to, each on a free loopback
# port with its data in one state folder:
#
#   services.sh start STATE   PostgreSQL 15 and Redis; writes STATE/env
#   services.sh stop STATE    stops what STATE/*.pid names
#
# STATE/env holds shell assignments the tests read:
#   SANAYICIN_TEST_PG_URL     postgresql://... of a role that may create databases
#   SANAYICIN_TEST_PG_ADMIN   the same role on the "postgres" database
#   SANAYICIN_TEST_REDIS_URL  redis://127.0.0.1:PORT/0
set -euo pipefail

cmd=${1:?start or stop}
state=${2:?state folder}
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

# shellcheck source=tests/services/lib.sh
. "$(dirname "$0")/lib.sh"

# Each step's start on stderr (ctest keeps it): where a slow start spent its time.
step() {
    echo "services.sh $(date +%T.%3N) $*" >&2
}

start_postgres() {
    local dir=$state/pg port
    port=$(free_port)
    step "postgres: initdb"
    rm -rf "$dir"
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
    # --no-sync: a throw-away cluster; its fsync of every file took minutes
    # while other builds were writing.
    as_postgres "$pgbin/initdb" --no-sync -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$state/pg-initdb.log"
    step "postgres: start on port $port"
    # Tests value speed over crash safety: fsync off. Everything else default.
    as_postgres "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c fsync=off -c max_connections=300" \
        start >/dev/null
    head -n 1 "$dir/data/postmaster.pid" >"$state/postgres.pid"
    step "postgres: role and database"
    as_postgres "$pgbin/psql" -h 127.0.0.1 -p "$port" -U postgres -q -v ON_ERROR_STOP=1 -c \
        "CREATE ROLE sanayicin LOGIN CREATEDB PASSWORD 'sanayicin-test'" \
        -c "CREATE DATABASE sanayicin_test OWNER sanayicin"
    {
        echo "SANAYICIN_TEST_PG_PORT=$port"
        echo "SANAYICIN_TEST_PG_URL=postgresql://sanayicin:sanayicin-test@127.0.0.1:$port/sanayicin_test"
        echo "SANAYICIN_TEST_PG_ADMIN=postgresql://sanayicin:sanayicin-test@127.0.0.1:$port/postgres"
    } >>"$state/env"
}

start_redis() {
    local port
    port=$(free_port)
    step "redis: start on port $port"
    mkdir -p "$state/redis"
    redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no \
        --dir "$state/redis" --daemonize yes --pidfile "$state/redis.pid" \
        --logfile "$state/redis/redis.log"
    for _ in $(seq 1 100); do
        redis-cli -p "$port" ping >/dev/null 2>&1 && break
        sleep 0.1
    done
    echo "SANAYICIN_TEST_REDIS_URL=redis://127.0.0.1:$port/0" >>"$state/env"
}

stop_all() {
    [ -d "$state" ] || return 0
    if [ -f "$state/pg/data/postmaster.pid" ]; then
        as_postgres "$pgbin/pg_ctl" -D "$state/pg/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    for f in "$state"/*.pid; do
        [ -f "$f" ] || continue
        pid=$(head -n 1 "$f")
        kill "$pid" 2>/dev/null || true
        rm -f "$f"
    done
}

case $cmd in
start)
    step "stopping what $state holds"
    stop_all
    mkdir -p "$state"
    : >"$state/env"
    start_postgres
    start_redis
    echo "services up: $(tr '\n' ' ' <"$state/env")"
    ;;
stop)
    stop_all
    ;;
*)
    echo "usage: $0 start|stop STATE" >&2
    exit 2
    ;;
esac
