# shellcheck shell=bash
# pg-restart-fast     pg_ctl stop -m fast, start again after --fault-length
fault_pg_restart_fast_inject() { pg_restart pg-restart-fast fast; }
