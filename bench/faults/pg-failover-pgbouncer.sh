# shellcheck shell=bash
# pg-failover-pgbouncer  as pg-failover, the daemons through pgBouncer: after the
#                     promotion deploy/patroni/pgbouncer-follow.sh --to points
#                     its [databases] line at the new primary and RELOADs
#                     (implies --pgbouncer)
fault_pg_failover_pgbouncer_prepare() { USE_PGB=1; }
fault_pg_failover_pgbouncer_setup() { pg_start_sync_replica; }
fault_pg_failover_pgbouncer_inject() {
    pg_failover pg-failover-pgbouncer
    # What an operator (or the script following Patroni's leader) does
    # (docs/operations.md, "PostgreSQL: a streaming replica, promoted").
    local follow=("$REPO/deploy/patroni/pgbouncer-follow.sh" --ini "$BENCH_STATE/pgbouncer/pgbouncer.ini"
        --db faults --admin-port "$PGB_PORT" --to "127.0.0.1:$PG_PORT")
    res_cmd "${follow[@]}"
    "${follow[@]}" >>"$BENCH_STATE/pgbouncer-admin.log" 2>&1 \
        || die "pgbouncer-follow.sh failed: $(tail -n 3 "$BENCH_STATE/pgbouncer-admin.log")"
    mark pg-failover-pgbouncer end
    tail -n 1 "$BENCH_STATE/pgbouncer-admin.log" | res
    pg_check_promoted
}
