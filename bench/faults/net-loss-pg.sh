# shellcheck shell=bash
# net-loss-pg         c1 in a network namespace; 20 % (NET_LOSS_PERCENT) of the
#                     packets between it and PostgreSQL dropped both ways for
#                     --fault-length, at least 10 s
fault_net_loss_pg_setup() { net_setup; }
fault_net_loss_pg_inject() { net_drop net-loss-pg pg "${NET_LOSS_PERCENT:-20}"; }
