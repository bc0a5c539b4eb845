# shellcheck shell=bash
# net-partition-redis c1 in a network namespace; every packet between it and
#                     Redis dropped for --fault-length, at least 10 s, then healed
fault_net_partition_redis_setup() { net_setup; }
fault_net_partition_redis_inject() { net_drop net-partition-redis redis 100; }
