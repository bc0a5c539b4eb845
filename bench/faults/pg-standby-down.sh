# shellcheck shell=bash
# pg-standby-down     the synchronous standby stopped (fast) for --fault-length s,
#                     then started again: commits on the primary wait for it
fault_pg_standby_down_setup() { pg_start_sync_replica; }
fault_pg_standby_down_inject() {
    res "standby (pid $PGR_PID, port $PGR_PORT): pg_ctl stop -m fast, started again after $FAULT_LENGTH s; the end marker once pg_stat_replication shows it synchronous again"
    res_cmd runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGR_DIR/data" -m fast -w stop
    mark pg-standby-down start
    as_postgres "$PGBIN/pg_ctl" -D "$PGR_DIR/data" -m fast -w -t 60 stop >/dev/null || die "pg_ctl stop failed"
    bench_untrack "$PGR_PID"
    sleep "$FAULT_LENGTH"
    pg_start_folder "$PGR_DIR"
    PGR_PID=$PG_STARTED_PID
    pg_wait_sync_standby
    mark pg-standby-down end
}
