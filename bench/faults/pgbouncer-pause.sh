# shellcheck shell=bash
# pgbouncer-pause     PAUSE on pgBouncer's admin console, RESUME after
#                     --fault-length (implies --pgbouncer)
fault_pgbouncer_pause_prepare() { USE_PGB=1; }
fault_pgbouncer_pause_inject() {
    res "pgBouncer (pid $PGB_PID): PAUSE (waits for running transactions, then holds every query), RESUME after $FAULT_LENGTH s"
    mark pgbouncer-pause start
    pgb_admin PAUSE
    sleep "$FAULT_LENGTH"
    pgb_admin RESUME
    mark pgbouncer-pause end
}
