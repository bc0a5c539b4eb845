#!/usr/bin/env bash
# Redis with Sentinel on free loopback ports, for the failover tests:
#
#   redis-sentinel.sh start STATE   a primary, one replica, three sentinels
#   redis-sentinel.sh stop STATE    stops what STATE/*.pid names
#   redis-sentinel.sh stop-sentinels STATE, start-sentinels STATE
#                                   the three sentinels only (an outage of
#                                   them all; they start again from the
#                                   configuration files they rewrote)
#
# The sentinels monitor the primary as "sanayicin" with quorum 2, and are
# quick (down-after 1 s, failover-timeout 5 s) so that a failover completes
# in a few seconds. STATE/env holds:
#   SANAYICIN_TEST_SENTINEL_URL   redis+sentinel://127.0.0.1:P1,.../sanayicin/0
#   SANAYICIN_TEST_REDIS_PRIMARY_PORT, SANAYICIN_TEST_REDIS_REPLICA_PORT
#   SANAYICIN_TEST_REDIS_PRIMARY_PID (what the tests stop or kill)
set -euo pipefail

cmd=${1:?start or stop}
state=${2:?state folder}
master=sanayicin

# shellcheck source=tests/services/lib.sh
. "$(dirname "$0")/lib.sh"

wait_for() { # port, log file
    for _ in $(seq 1 300); do
        redis-cli -p "$1" ping 2>/dev/null | grep -q PONG && return 0
        sleep 0.1
    done
    echo "redis on port $1 did not start:" >&2
    tail -n 20 "$2" >&2
    return 1
}

start_redis() { # name, port, extra arguments
    local name=$1 port=$2
    shift 2
    mkdir -p "$state/$name"
    redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no \
        --dir "$state/$name" --daemonize yes --pidfile "$state/$name.pid" \
        --logfile "$state/$name/redis.log" "$@"
    wait_for "$port" "$state/$name/redis.log"
}

start_sentinel() { # index, port, primary port
    local dir=$state/sentinel$1
    mkdir -p "$dir"
    # A sentinel rewrites its configuration file: one of its own each.
    cat >"$dir/sentinel.conf" <<CONF
port $2
bind 127.0.0.1
daemonize yes
pidfile $state/sentinel$1.pid
logfile $dir/sentinel.log
dir $dir
sentinel monitor $master 127.0.0.1 $3 2
sentinel down-after-milliseconds $master 1000
sentinel failover-timeout $master 5000
sentinel parallel-syncs $master 1
CONF
    redis-server "$dir/sentinel.conf" --sentinel
    wait_for "$2" "$dir/sentinel.log"
}

stop_all() {
    [ -d "$state" ] || return 0
    for f in "$state"/*.pid; do
        [ -f "$f" ] || continue
        pid=$(head -n 1 "$f")
        kill -CONT "$pid" 2>/dev/null || true # a test may have frozen it
        kill "$pid" 2>/dev/null || true
        rm -f "$f"
    done
}

case $cmd in
start)
    stop_all
    mkdir -p "$state"
    primary=$(free_port)
    start_redis primary "$primary"
    replica=$(free_port)
    start_redis replica "$replica" --replicaof 127.0.0.1 "$primary"
    hosts=()
    for i in 1 2 3; do
        port=$(free_port)
        start_sentinel "$i" "$port" "$primary"
        hosts+=("127.0.0.1:$port")
    done
    # Ready when the replica is in sync and every sentinel sees it and the others.
    for _ in $(seq 1 200); do
        ready=1
        redis-cli -p "$replica" info replication | grep -q 'master_link_status:up' || ready=0
        for h in "${hosts[@]}"; do
            out=$(redis-cli -p "${h#*:}" sentinel master "$master" 2>/dev/null | tr '\n' ' ')
            [[ $out =~ num-slaves\ 1\  ]] && [[ $out =~ num-other-sentinels\ 2\  ]] || ready=0
        done
        [ "$ready" = 1 ] && break
        sleep 0.1
    done
    [ "$ready" = 1 ] || { echo "sentinels did not settle" >&2; exit 1; }
    {
        echo "SANAYICIN_TEST_SENTINEL_URL=redis+sentinel://$(IFS=,; echo "${hosts[*]}")/$master/0"
        echo "SANAYICIN_TEST_REDIS_PRIMARY_PORT=$primary"
        echo "SANAYICIN_TEST_REDIS_REPLICA_PORT=$replica"
        echo "SANAYICIN_TEST_REDIS_PRIMARY_PID=$(head -n 1 "$state/primary.pid")"
    } >"$state/env"
    echo "sentinel up: $(tr '\n' ' ' <"$state/env")"
    ;;
stop)
    stop_all
    ;;
stop-sentinels)
    for i in 1 2 3; do
        pid=$(head -n 1 "$state/sentinel$i.pid")
        kill "$pid"
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        ! kill -0 "$pid" 2>/dev/null || { echo "sentinel $i (pid $pid) did not stop" >&2; exit 1; }
        rm -f "$state/sentinel$i.pid"
    done
    ;;
start-sentinels)
    for i in 1 2 3; do
        conf=$state/sentinel$i/sentinel.conf
        redis-server "$conf" --sentinel
        wait_for "$(sed -n 's/^port //p' "$conf")" "$state/sentinel$i/sentinel.log"
    done
    ;;
*)
    echo "usage: $0 start|stop|stop-sentinels|start-sentinels STATE" >&2
    exit 2
    ;;
esac
