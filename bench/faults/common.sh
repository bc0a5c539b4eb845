# shellcheck shell=bash
# Helpers shared by the fault files in bench/faults/ (sourced by
# bench/faults.sh after lib.sh). A fault file NAME.sh starts with comment
# lines "# NAME  what it does" (shown by --help) and defines, with NAME's
# dashes as underscores:
#   fault_NAME_inject   required: marks start, does the fault, marks end
#   fault_NAME_prepare  optional: before any service starts (set USE_PGB=1, ...)
#   fault_NAME_setup    optional: after PostgreSQL, Redis (and pgBouncer) run,
#                       before the daemons (a namespace, a wrapper, ...);
#                       register undo steps with bench_on_cleanup
# The run's state they may use: DAEMON_PIDS/PORTS/HOSTS (c0 c1 c2 in that
# order), PG_*, REDIS_*, PGB_*, DB_PORT, FAULT_LENGTH, BENCH_STATE; mark NAME
# start|end writes the markers the checker reads.

# A hook of a fault, if its file defines it.
fault_hook() { # HOOK FAULT
    local fn="fault_${2//-/_}_$1"
    if declare -F "$fn" >/dev/null; then "$fn"; fi
}

# Starts instance NAME (c0, c1, c2). A setup hook may have set
# DAEMON_SETUP_<NAME>: commands run just before, which may set
# BENCH_DAEMON_WRAP, BENCH_DAEMON_HOST (lib.sh) and DAEMON_DB_URL /
# DAEMON_REDIS_URL for this instance only.
start_instance() { # NAME [options for bench_start_daemon...]
    local name=$1 setup_var="DAEMON_SETUP_$1"
    shift
    DAEMON_DB_URL=
    DAEMON_REDIS_URL=
    [ -n "${!setup_var:-}" ] && eval "${!setup_var}"
    bench_start_daemon "$name" "${DAEMON_DB_URL:-$(pg_url faults "$DB_PORT")}" "${DAEMON_REDIS_URL:-$REDIS_URL}" "$@"
}

# Starts instance c1 again on its old port (after a kill) and puts it back in
# second place in DAEMON_PIDS/PORTS/HOSTS. The caller removed it from them.
restart_c1() { # OLD_PORT [options for bench_start_daemon...]
    local port=$1
    shift
    BENCH_NEXT_PORT=$port
    start_instance c1 "$@"
    DAEMON_PIDS=("${DAEMON_PIDS[0]}" "${DAEMON_PIDS[2]}" "${DAEMON_PIDS[1]}")
    DAEMON_PORTS=("${DAEMON_PORTS[0]}" "${DAEMON_PORTS[2]}" "${DAEMON_PORTS[1]}")
    DAEMON_HOSTS=("${DAEMON_HOSTS[0]}" "${DAEMON_HOSTS[2]}" "${DAEMON_HOSTS[1]}")
}

# Removes c1 (index 1) from DAEMON_PIDS/PORTS/HOSTS.
forget_c1() {
    DAEMON_PIDS=("${DAEMON_PIDS[0]}" "${DAEMON_PIDS[2]}")
    DAEMON_PORTS=("${DAEMON_PORTS[0]}" "${DAEMON_PORTS[2]}")
    DAEMON_HOSTS=("${DAEMON_HOSTS[0]}" "${DAEMON_HOSTS[2]}")
}

# Stops PostgreSQL with pg_ctl -m MODE and starts it again after FAULT_LENGTH.
pg_restart() { # FAULT MODE
    local f=$1 mode=$2
    res "PostgreSQL (pid $PG_PID): pg_ctl stop -m $mode, started again after $FAULT_LENGTH s"
    res_cmd runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PG_SOCKET/data" -m "$mode" -w stop
    mark "$f" start
    as_postgres "$PGBIN/pg_ctl" -D "$PG_SOCKET/data" -m "$mode" -w -t 60 stop >/dev/null \
        || die "pg_ctl stop -m $mode failed"
    bench_untrack "$PG_PID"
    sleep "$FAULT_LENGTH"
    as_postgres "$PGBIN/pg_ctl" -D "$PG_SOCKET/data" -l "$PG_SOCKET/server.log" -w -t 120 start >/dev/null \
        || die "PostgreSQL did not start again: $(tail -n 10 "$PG_SOCKET/server.log")"
    PG_PID=$(head -n 1 "$PG_SOCKET/data/postmaster.pid")
    bench_track postgres "$PG_PID"
    mark "$f" end
}

# A command on pgBouncer's admin console.
pgb_admin() { # COMMAND
    res_cmd psql -h 127.0.0.1 -p "$PGB_PORT" -U pgbouncer_admin -d pgbouncer -c "$1"
    PGPASSWORD=$PG_PASSWORD timeout 30 psql -h 127.0.0.1 -p "$PGB_PORT" -U pgbouncer_admin -d pgbouncer \
        -v ON_ERROR_STOP=1 -qc "$1" >>"$BENCH_STATE/pgbouncer-admin.log" 2>&1 \
        || die "pgBouncer $1 failed: $(tail -n 3 "$BENCH_STATE/pgbouncer-admin.log")"
}
