# shellcheck shell=bash
# pg-failover-pgbouncer  as pg-failover, the daemons through pgBouncer: after the
#                     promotion its [databases] line is pointed at the new
#                     primary and RELOADed (implies --pgbouncer)
fault_pg_failover_pgbouncer_prepare() { USE_PGB=1; }
fault_pg_failover_pgbouncer_setup() { pg_start_sync_replica; }
fault_pg_failover_pgbouncer_inject() {
    pg_failover pg-failover-pgbouncer
    # What a Patroni on_role_change callback or an operator does
    # (docs/operations.md, "Failover, two ways").
    local ini=$BENCH_STATE/pgbouncer/pgbouncer.ini
    res "pgBouncer (pid $PGB_PID): [databases] faults pointed at port $PG_PORT, then RELOAD"
    sed -i "s/^faults = host=127.0.0.1 port=[0-9]* /faults = host=127.0.0.1 port=$PG_PORT /" "$ini"
    grep '^faults = ' "$ini" | res
    grep -q "^faults = host=127.0.0.1 port=$PG_PORT " "$ini" || die "pgbouncer.ini was not changed"
    pgb_admin RELOAD
    mark pg-failover-pgbouncer end
}
