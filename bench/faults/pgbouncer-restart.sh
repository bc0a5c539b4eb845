# shellcheck shell=bash
# pgbouncer-restart   stop pgBouncer (SIGTERM), start it again (implies --pgbouncer)
fault_pgbouncer_restart_prepare() { USE_PGB=1; }
fault_pgbouncer_restart_inject() {
    res "pgBouncer (pid $PGB_PID, port $PGB_PORT) stopped with SIGTERM, started again after $FAULT_LENGTH s"
    mark pgbouncer-restart start
    bench_stop_pid "$PGB_PID" 20 TERM
    mv "$BENCH_STATE/pgbouncer/pgbouncer.log" "$BENCH_STATE/pgbouncer/pgbouncer.before-$PGB_PID.log" 2>/dev/null || true
    sleep "$FAULT_LENGTH"
    BENCH_NEXT_PORT=$PGB_PORT
    bench_start_pgbouncer faults
    mark pgbouncer-restart end
}
