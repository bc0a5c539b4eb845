# shellcheck shell=bash
# Resource samples of a fault run or soak (sourced by bench/faults.sh after
# lib.sh): every PERIOD seconds one line per quantity,
#   <epoch s> <series> <process id> <value>
# into a file that bench/resource_drift.py judges afterwards ("flat"). The
# process id is the one the value belongs to: a restarted daemon, Redis,
# PostgreSQL or pgBouncer starts a new series of its own (its own baseline).
#   cN.rss_kib cN.fds cN.threads   /proc/PID of instance cN (status, fd/)
#   cN.ws                          its open WebSockets (/metrics gauge)
#   cN.fds_other                   fds - ws: what is not a client's socket
#   redis.used_memory redis.clients   INFO memory / clients
#   pg.connections                 client backends in pg_stat_activity
#   pgb.clients pgb.servers        pgBouncer SHOW LISTS used_clients / used_servers
# Daemons are found by name in $BENCH_STATE/daemon-pids (lib.sh appends a
# line "NAME PID HOST PORT" at each start), so a restart is seen at once.

# One round of samples, to stdout.
resources_sample_once() {
    local now name pid host port rss fds thr ws line
    now=$(date +%s)
    declare -A last_pid last_host last_port
    if [ -f "$BENCH_STATE/daemon-pids" ]; then
        while read -r name pid host port; do
            last_pid[$name]=$pid
            last_host[$name]=$host
            last_port[$name]=$port
        done <"$BENCH_STATE/daemon-pids"
    fi
    for name in "${!last_pid[@]}"; do
        pid=${last_pid[$name]}
        [ -r "/proc/$pid/status" ] || continue
        rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null)
        thr=$(awk '/^Threads:/ {print $2}' "/proc/$pid/status" 2>/dev/null)
        fds=$(find "/proc/$pid/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
        [ -n "$rss" ] && echo "$now $name.rss_kib $pid $rss"
        [ -n "$thr" ] && echo "$now $name.threads $pid $thr"
        echo "$now $name.fds $pid $fds"
        # A stopped instance does not answer: no ws, no fds_other then.
        ws=$(curl -sf -m 2 "http://${last_host[$name]}:${last_port[$name]}/metrics" 2>/dev/null \
            | awk '$1 == "sanayicin_websocket_connections" {print int($2)}')
        if [ -n "$ws" ]; then
            echo "$now $name.ws $pid $ws"
            echo "$now $name.fds_other $pid $((fds - ws))"
        fi
    done
    if [ -n "${REDIS_PORT:-}" ]; then
        redis-cli -p "$REDIS_PORT" --user bench-monitor --pass "$PG_PASSWORD" --no-auth-warning INFO 2>/dev/null \
            | tr -d '\r' | awk -F: -v t="$now" '
                $1 == "process_id" {pid = $2} $1 == "used_memory" {mem = $2} $1 == "connected_clients" {cl = $2}
                END {if (pid != "") {print t, "redis.used_memory", pid, mem; print t, "redis.clients", pid, cl}}'
    fi
    if [ -n "${PG_SOCKET:-}" ] && [ -r "$PG_SOCKET/data/postmaster.pid" ]; then
        pid=$(head -n 1 "$PG_SOCKET/data/postmaster.pid")
        line=$(as_postgres psql -h "$PG_SOCKET" -p "$PG_PORT" -U postgres -d postgres -Atc \
            "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()" 2>/dev/null)
        [ -n "$line" ] && echo "$now pg.connections $pid $line"
    fi
    if [ -n "${PGB_PORT:-}" ] && [ -r "$BENCH_STATE/pgbouncer/pgbouncer.pid" ]; then
        pid=$(cat "$BENCH_STATE/pgbouncer/pgbouncer.pid")
        PGPASSWORD=$PG_PASSWORD timeout 5 psql -h 127.0.0.1 -p "$PGB_PORT" -U pgbouncer_admin -d pgbouncer \
            -AtF ' ' -c 'SHOW LISTS' 2>/dev/null | awk -v t="$now" -v pid="$pid" '
                $1 == "used_clients" {print t, "pgb.clients", pid, $2} $1 == "used_servers" {print t, "pgb.servers", pid, $2}'
    fi
    return 0
}

# Starts the sampler in the background: FILE, every PERIOD seconds.
resources_start() { # FILE PERIOD
    local file=$1 period=$2
    (
        set +eu +o pipefail
        trap 'kill "$sp" 2>/dev/null; exit 0' TERM
        while :; do
            resources_sample_once
            sleep "$period" &
            sp=$!
            wait "$sp"
        done
    ) >>"$file" 2>/dev/null &
    RESOURCES_PID=$!
    bench_track resources "$RESOURCES_PID"
}

resources_stop() {
    [ -n "${RESOURCES_PID:-}" ] && bench_stop_pid "$RESOURCES_PID" 15 TERM
    RESOURCES_PID=
}
