# shellcheck shell=bash
# pg-restart-immediate  pg_ctl stop -m immediate (a crash), start again
fault_pg_restart_immediate_inject() { pg_restart pg-restart-immediate immediate; }
