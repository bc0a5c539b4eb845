# shellcheck shell=bash
# net-delay-redis        c1 in a network namespace; its packets to Redis held
#                     200 ms each (NET_DELAY_MS) for --fault-length, at least 10 s
fault_net_delay_redis_setup() {
    net_setup
    net_need_delayer
}
fault_net_delay_redis_inject() { net_delay net-delay-redis redis; }
