# shellcheck shell=bash
# redis-failover      SIGKILL the Redis master behind Sentinel; the sentinels promote its replica

# setup: the bench's Redis gets a replica and three sentinels (127.0.0.1,
# free ports, with a sentinel password), and every daemon reaches Redis
# through redis+sentinel://. inject: SIGKILL to the master (a crash: its
# sockets close at once, nothing more is written), the sentinels promote
# the replica; the end mark when the replica says ROLE master, every
# running daemon has its subscriber on it and says
# sanayicin_bridge_connected 1. The old master stays down. Not for one run
# with redis-restart after it (that would start a second master on the old
# master's port).

RF_MASTER=sanayicin

fault_redis_failover_setup() {
    SENTINEL_PASSWORD=sentinel-$PG_PASSWORD
    section "Redis Sentinel (redis-failover)"
    redis_add_ha_users
    redis_start_replica
    redis_start_sentinels "$RF_MASTER"
    res "replica: port $REPLICA_PORT (pid $REPLICA_PID); sentinels: $SENTINEL_HOSTS (pids ${SENTINEL_PIDS[*]}), quorum 2, down-after 2000 ms, failover-timeout 5000 ms"
    # shellcheck disable=SC2034 # start_instance's default for every daemon
    REDIS_URL="redis+sentinel://sanayicin:$PG_PASSWORD@$SENTINEL_HOSTS/$RF_MASTER/0?sentinel_password=$SENTINEL_PASSWORD"
    res "daemons' --redis: redis+sentinel://sanayicin:***@$SENTINEL_HOSTS/$RF_MASTER/0?sentinel_password=***"
}

fault_redis_failover_inject() {
    local old=$REDIS_PID i n=0 daemons ok=0 p
    res "Redis master (pid $old, port $REDIS_PORT) killed with SIGKILL; replica on port $REPLICA_PORT"
    mark redis-failover start
    kill -KILL "$old"
    wait "$old" 2>/dev/null || true
    bench_untrack "$old"
    # The sentinels' own pace: 2 s down-after, an election, maybe a second
    # one 5 s later (a split vote).
    for ((i = 0; i < 1200; i++)); do
        [ "$(redis_role "$REPLICA_PORT")" = master ] && break
        sleep 0.1
    done
    [ "$(redis_role "$REPLICA_PORT")" = master ] || die "the sentinels did not promote the replica in 120 s"
    log "fault redis-failover: replica promoted"
    daemons=${#DAEMON_PIDS[@]}
    for ((i = 0; i < 600; i++)); do
        ok=1
        n=$(redis_daemon_subscribers "$REPLICA_PORT")
        [ "$n" -ge "$daemons" ] || ok=0
        for p in "${DAEMON_PORTS[@]}"; do
            daemon_metrics "$p" '^sanayicin_bridge_connected 1' | grep -q . || ok=0
        done
        [ "$ok" = 1 ] && break
        sleep 0.1
    done
    [ "$ok" = 1 ] || die "the daemons did not follow to the new master in 60 s ($n subscribers of $daemons)"
    mark redis-failover end
    res "the replica is master and all $daemons daemons are on it (subscribers: $n)"
}
