# shellcheck shell=bash
# net-delay-pg        c1 in a network namespace; its packets to PostgreSQL held
#                     200 ms each (NET_DELAY_MS) for --fault-length, at least 10 s
fault_net_delay_pg_setup() {
    net_setup
    net_need_delayer
}
fault_net_delay_pg_inject() { net_delay net-delay-pg pg; }
