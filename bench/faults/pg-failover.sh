# shellcheck shell=bash
# pg-failover         the primary stopped with -m immediate, the synchronous
#                     streaming replica promoted --fault-length s later; the
#                     daemons on a multi-host URL (target_session_attrs=read-write)
fault_pg_failover_setup() {
    pg_start_sync_replica
    local url n
    url=$(pg_multi_host_url faults)
    res "the daemons' database: ${url/:$PG_PASSWORD@/:PASSWORD@}"
    for n in c0 c1 c2; do printf -v "DAEMON_SETUP_$n" 'DAEMON_DB_URL=%q' "$url"; done
}
fault_pg_failover_inject() {
    pg_failover pg-failover
    mark pg-failover end
    pg_check_promoted
}
