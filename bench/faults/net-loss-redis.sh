# shellcheck shell=bash
# net-loss-redis         c1 in a network namespace; 20 % (NET_LOSS_PERCENT) of the
#                     packets between it and Redis dropped both ways for
#                     --fault-length, at least 10 s
fault_net_loss_redis_setup() { net_setup; }
fault_net_loss_redis_inject() { net_drop net-loss-redis redis "${NET_LOSS_PERCENT:-20}"; }
