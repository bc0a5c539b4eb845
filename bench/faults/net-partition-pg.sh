# shellcheck shell=bash
# net-partition-pg    c1 in a network namespace; every packet between it and
#                     PostgreSQL dropped for --fault-length, at least 20 s
#                     (beyond the daemon's 5 s TCP timeout), then healed
fault_net_partition_pg_setup() { net_setup; }
fault_net_partition_pg_inject() { net_drop net-partition-pg pg 100 20; }
