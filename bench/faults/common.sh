# shellcheck shell=bash
# Helpers shared by the fault files in bench/faults/ (sourced by
# bench/faults.sh after lib.sh). A fault file NAME.sh starts with comment
# lines "# NAME  what it does" (shown by --help) and defines, with NAME's
# dashes as underscores:
#   fault_NAME_inject   required: marks start, does the fault, marks end
#   fault_NAME_prepare  optional: before any service starts (set USE_PGB=1, ...)
#   fault_NAME_setup    optional: after PostgreSQL, Redis (and pgBouncer) run,
#                       before the daemons (a namespace, a wrapper, ...);
#                       register undo steps with bench_on_cleanup
# The run's state they may use: DAEMON_PIDS/PORTS/HOSTS (c0 c1 c2 in that
# order), PG_*, REDIS_*, PGB_*, DB_PORT, FAULT_LENGTH, BENCH_STATE; mark NAME
# start|end writes the markers the checker reads.

# A hook of a fault, if its file defines it.
fault_hook() { # HOOK FAULT
    local fn="fault_${2//-/_}_$1"
    if declare -F "$fn" >/dev/null; then "$fn"; fi
}

# Starts instance NAME (c0, c1, c2). A setup hook may have set
# DAEMON_SETUP_<NAME>: commands run just before, which may set
# BENCH_DAEMON_WRAP, BENCH_DAEMON_HOST (lib.sh) and DAEMON_DB_URL /
# DAEMON_REDIS_URL for this instance only.
start_instance() { # NAME [options for bench_start_daemon...]
    local name=$1 setup_var="DAEMON_SETUP_$1"
    shift
    DAEMON_DB_URL=
    DAEMON_REDIS_URL=
    [ -n "${!setup_var:-}" ] && eval "${!setup_var}"
    bench_start_daemon "$name" "${DAEMON_DB_URL:-$(pg_url faults "$DB_PORT")}" "${DAEMON_REDIS_URL:-$REDIS_URL}" "$@"
}

# Starts instance c1 again on its old port (after a kill) and puts it back in
# second place in DAEMON_PIDS/PORTS/HOSTS. The caller removed it from them.
restart_c1() { # OLD_PORT [options for bench_start_daemon...]
    local port=$1
    shift
    BENCH_NEXT_PORT=$port
    start_instance c1 "$@"
    DAEMON_PIDS=("${DAEMON_PIDS[0]}" "${DAEMON_PIDS[2]}" "${DAEMON_PIDS[1]}")
    DAEMON_PORTS=("${DAEMON_PORTS[0]}" "${DAEMON_PORTS[2]}" "${DAEMON_PORTS[1]}")
    DAEMON_HOSTS=("${DAEMON_HOSTS[0]}" "${DAEMON_HOSTS[2]}" "${DAEMON_HOSTS[1]}")
}

# Removes c1 (index 1) from DAEMON_PIDS/PORTS/HOSTS.
forget_c1() {
    DAEMON_PIDS=("${DAEMON_PIDS[0]}" "${DAEMON_PIDS[2]}")
    DAEMON_PORTS=("${DAEMON_PORTS[0]}" "${DAEMON_PORTS[2]}")
    DAEMON_HOSTS=("${DAEMON_HOSTS[0]}" "${DAEMON_HOSTS[2]}")
}

# Stops PostgreSQL with pg_ctl -m MODE and starts it again after FAULT_LENGTH.
pg_restart() { # FAULT MODE
    local f=$1 mode=$2
    res "PostgreSQL (pid $PG_PID): pg_ctl stop -m $mode, started again after $FAULT_LENGTH s"
    res_cmd runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PG_SOCKET/data" -m "$mode" -w stop
    mark "$f" start
    as_postgres "$PGBIN/pg_ctl" -D "$PG_SOCKET/data" -m "$mode" -w -t 60 stop >/dev/null \
        || die "pg_ctl stop -m $mode failed"
    bench_untrack "$PG_PID"
    sleep "$FAULT_LENGTH"
    as_postgres "$PGBIN/pg_ctl" -D "$PG_SOCKET/data" -l "$PG_SOCKET/server.log" -w -t 120 start >/dev/null \
        || die "PostgreSQL did not start again: $(tail -n 10 "$PG_SOCKET/server.log")"
    PG_PID=$(head -n 1 "$PG_SOCKET/data/postmaster.pid")
    bench_track postgres "$PG_PID"
    mark "$f" end
}

# A command on pgBouncer's admin console.
pgb_admin() { # COMMAND
    res_cmd psql -h 127.0.0.1 -p "$PGB_PORT" -U pgbouncer_admin -d pgbouncer -c "$1"
    PGPASSWORD=$PG_PASSWORD timeout 30 psql -h 127.0.0.1 -p "$PGB_PORT" -U pgbouncer_admin -d pgbouncer \
        -v ON_ERROR_STOP=1 -qc "$1" >>"$BENCH_STATE/pgbouncer-admin.log" 2>&1 \
        || die "pgBouncer $1 failed: $(tail -n 3 "$BENCH_STATE/pgbouncer-admin.log")"
}

# A fake wall clock for instance c1 (the clock-step faults): libfaketime
# reads its offset from a file that the inject step rewrites. Only the
# real-time clock is faked (FAKETIME_DONT_FAKE_MONOTONIC=1), as an NTP step
# changes CLOCK_REALTIME only; the file is read again at most once a second.
# In an ASan build libasan must come first in LD_PRELOAD.
FAKETIME_LIB=${FAKETIME_LIB:-/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1}
clock_fake_c1() {
    [ -r "$FAKETIME_LIB" ] || die "no $FAKETIME_LIB: apt-get install libfaketime"
    FAKETIME_FILE=$BENCH_STATE/faketime-c1
    echo '+0' >"$FAKETIME_FILE"
    local asan preload
    asan=$(ldd "$DAEMON" | awk '/libasan/ {print $3; exit}')
    preload=${asan:+$asan:}$FAKETIME_LIB
    # shellcheck disable=SC2034 # run by start_instance
    DAEMON_SETUP_c1="BENCH_DAEMON_WRAP=(env LD_PRELOAD=$preload FAKETIME_TIMESTAMP_FILE=$FAKETIME_FILE FAKETIME_CACHE_DURATION=1 FAKETIME_DONT_FAKE_MONOTONIC=1)"
    # shellcheck disable=SC2034 # read by faults.sh at the end
    DAEMON_END_UNJUDGED=c1 DAEMON_END_WHY="libfaketime 0.9.10 ends monotonic timed waits early: a daemon under it aborts at shutdown (docs/reliability.md)"
    res "c1 runs under libfaketime ($preload), offset file $FAKETIME_FILE (+0 until the step)"
}

# Steps c1's wall clock by OFFSET seconds (+3600, -3600) for the rest of the
# run; the end marker comes after --fault-length. Then reports what the
# step did: created_at of the messages stored since, and c1's log (its
# times are c1's clock).
clock_step() { # FAULT OFFSET
    local f=$1 off=$2 pid=${DAEMON_PIDS[1]} before before_id lines
    before=$(date +%s%3N)
    before_id=$(psql_app faults -Atc 'SELECT coalesce(max(id), 0) FROM messages')
    lines=$(wc -l <"$BENCH_STATE/daemon-c1.log")
    res "step c1's wall clock (pid $pid) by $off s; c0 and c2 keep the real time"
    mark "$f" start
    echo "$off" >"$FAKETIME_FILE"
    sleep "$FAULT_LENGTH"
    mark "$f" end
    # What the step left behind, a few seconds later.
    sleep 5
    res "messages stored since the step, created_at against the real time at the step (+-60 s; a 1 h step is far outside):"
    psql_app faults -Atc "SELECT count(*) || ' stored: ' || count(*) FILTER (WHERE created_at > $before + 1800000) || ' ahead by about 1 h, ' || count(*) FILTER (WHERE created_at < $before - 1800000) || ' behind by about 1 h, ' || count(*) FILTER (WHERE created_at BETWEEN $before - 60000 AND $before + 600000) || ' near the real time'
        FROM messages WHERE id > $before_id" 2>&1 | res
    res "created_at more than 1 s below the previous seq's in its conversation (the whole run): $(psql_app faults -Atc "SELECT count(*) FROM (SELECT created_at < lag(created_at) OVER (PARTITION BY conversation_id ORDER BY seq) - 1000 AS back FROM messages) s WHERE back" 2>&1)"
    res "c1's log since the step (distinct messages, digits as N):"
    tail -n +"$((lines + 1))" "$BENCH_STATE/daemon-c1.log" | sed -E 's/^[0-9T:.-]+ //; s/[0-9]+/N/g' | sort | uniq -c | sort -rn | head -n 15 | cut -c1-300 | res
}

# ---- Redis replicas and sentinels (redis-failover) ----

# Starts redis-server with ARGS in the background and waits until it
# answers PING on PORT (redis-cli with AUTH_ARGS); sets STARTED_REDIS_PID.
# Returns 1 when it exited first: on this shared machine a port free_port
# found can be taken by someone else before the server binds it.
redis_try_start() { # NAME PORT "AUTH_ARGS" ARGS...
    local name=$1 port=$2 auth=$3 i
    shift 3
    res_cmd redis-server "$@"
    redis-server "$@" &
    STARTED_REDIS_PID=$!
    bench_track "$name" "$STARTED_REDIS_PID"
    for ((i = 0; i < 100; i++)); do
        # shellcheck disable=SC2086 # AUTH_ARGS are words
        redis-cli -p "$port" $auth --no-auth-warning ping 2>/dev/null | grep -q PONG && return 0
        kill -0 "$STARTED_REDIS_PID" 2>/dev/null || break
        sleep 0.1
    done
    wait "$STARTED_REDIS_PID" 2>/dev/null || true
    bench_untrack "$STARTED_REDIS_PID"
    return 1
}

# Starts a Redis server from CONF and waits for it to answer as the bench's
# "sanayicin" user; sets STARTED_REDIS_PID.
redis_start_conf() { # NAME CONF PORT
    redis_try_start "$1" "$3" "--user sanayicin --pass $PG_PASSWORD" "$2" \
        || die "Redis $1 did not start: $(tail -n 5 "$(sed -n 's/^logfile //p' "$2" | tail -n 1)")"
}

# Adds the users a replica and the sentinels log in as (with the bench
# password; the ACL lines the Redis Sentinel documentation gives) and a
# read-only "bench-ops" for CLIENT LIST, then restarts the bench's Redis
# (before any daemon runs) so that it loads them.
redis_add_ha_users() {
    local hash
    hash=$(printf '%s' "$PG_PASSWORD" | sha256sum | cut -d' ' -f1)
    cat >>"$BENCH_STATE/redis/users.acl" <<EOF
user bench-replica on #$hash +psync +replconf +ping
user bench-sentinel on #$hash allchannels +multi +slaveof +ping +exec +subscribe +config|rewrite +role +publish +info +client|setname +client|kill +script|kill
user bench-ops on #$hash +client|list +role +info +ping
EOF
    res "users.acl: + bench-replica, bench-sentinel, bench-ops (the bench password); Redis restarted to load them"
    bench_stop_pid "$REDIS_PID" 20 TERM
    redis_start_conf redis "$BENCH_STATE/redis/redis.conf" "$REDIS_PORT"
    REDIS_PID=$STARTED_REDIS_PID
}

# A replica of the bench's Redis (the same configuration and users) on a
# free port; sets REPLICA_PORT, REPLICA_PID.
redis_start_replica() {
    local dir=$BENCH_STATE/redis-replica try
    mkdir -p "$dir"
    for try in 1 2 3 4 5; do
        free_port
        REPLICA_PORT=$FREE_PORT
        {
            cat "$BENCH_STATE/redis/redis.conf"
            cat <<EOF

# ---- bench/faults/common.sh: a replica of the bench's Redis ----
port $REPLICA_PORT
pidfile $dir/redis.pid
logfile $dir/redis.log
dir $dir
replicaof 127.0.0.1 $REDIS_PORT
masteruser bench-replica
masterauth $PG_PASSWORD
EOF
        } >"$dir/redis.conf"
        if redis_try_start redis-replica "$REPLICA_PORT" "--user sanayicin --pass $PG_PASSWORD" "$dir/redis.conf"; then
            # shellcheck disable=SC2034 # for the fault files
            REPLICA_PID=$STARTED_REDIS_PID
            return 0
        fi
        log "replica: port $REPLICA_PORT not usable (try $try): $(tail -n 1 "$dir/redis.log")"
    done
    die "the replica did not start: $(tail -n 5 "$dir/redis.log")"
}

# Three sentinels on free ports monitoring the bench's Redis as MASTER
# (quorum 2, down after 2 s, a new try 5 s after a failed election: on a
# loaded machine all three see the master down at once and vote for
# themselves), with SENTINEL_PASSWORD as their own password;
# waits until each sees the replica and the two others. Sets SENTINEL_PORTS,
# SENTINEL_PIDS and SENTINEL_HOSTS (127.0.0.1:P1,127.0.0.1:P2,...).
redis_start_sentinels() { # MASTER
    local master=$1 k port dir i ready out try
    SENTINEL_PORTS=()
    SENTINEL_PIDS=()
    for k in 1 2 3; do
        dir=$BENCH_STATE/sentinel$k
        mkdir -p "$dir"
        for try in 1 2 3 4 5; do
            free_port
            port=$FREE_PORT
            # A sentinel rewrites its configuration file: one of its own each.
            cat >"$dir/sentinel.conf" <<EOF
port $port
bind 127.0.0.1
daemonize no
pidfile $dir/sentinel.pid
logfile $dir/sentinel.log
dir $dir
requirepass $SENTINEL_PASSWORD
sentinel monitor $master 127.0.0.1 $REDIS_PORT 2
sentinel down-after-milliseconds $master 2000
sentinel failover-timeout $master 5000
sentinel parallel-syncs $master 1
sentinel auth-user $master bench-sentinel
sentinel auth-pass $master $PG_PASSWORD
EOF
            redis_try_start "sentinel$k" "$port" "-a $SENTINEL_PASSWORD" "$dir/sentinel.conf" --sentinel && break
            log "sentinel $k: port $port not usable (try $try): $(tail -n 1 "$dir/sentinel.log")"
            [ "$try" = 5 ] && die "sentinel $k did not start: $(tail -n 5 "$dir/sentinel.log")"
        done
        SENTINEL_PIDS+=("$STARTED_REDIS_PID")
        SENTINEL_PORTS+=("$port")
    done
    SENTINEL_HOSTS=$(printf '127.0.0.1:%s,' "${SENTINEL_PORTS[@]}")
    SENTINEL_HOSTS=${SENTINEL_HOSTS%,}
    for ((i = 0; i < 600; i++)); do
        ready=1
        for port in "${SENTINEL_PORTS[@]}"; do
            out=$(redis-cli -p "$port" -a "$SENTINEL_PASSWORD" --no-auth-warning sentinel master "$master" 2>/dev/null | tr '\n' ' ')
            [[ $out =~ num-slaves\ 1\  ]] && [[ $out =~ num-other-sentinels\ 2\  ]] || ready=0
        done
        [ "$ready" = 1 ] && return 0
        sleep 0.1
    done
    die "the sentinels did not settle: $(tail -n 5 "$BENCH_STATE/sentinel1/sentinel.log")"
}

# ROLE's first line on a Redis at PORT (as bench-ops).
redis_role() { # PORT
    redis-cli -p "$1" --user bench-ops --pass "$PG_PASSWORD" --no-auth-warning role 2>/dev/null | head -n 1
}

# How many of the daemons' subscriber connections a Redis at PORT has.
redis_daemon_subscribers() { # PORT
    redis-cli -p "$1" --user bench-ops --pass "$PG_PASSWORD" --no-auth-warning client list 2>/dev/null \
        | grep 'user=sanayicin' | grep -c 'cmd=subscribe' || true
}

# ---- a synchronous streaming replica and its promotion (pg-failover*) ------------

# A streaming replica of the bench PostgreSQL in $BENCH_STATE/pg-replica, on a
# port of its own on 127.0.0.1: pg_basebackup -R as a replication role, the
# primary's settings (copied with the data) plus port, socket folder and
# cluster_name standby1 (its application_name). Then the primary makes it its
# synchronous standby (synchronous_standby_names, as deploy/postgresql/
# replication.conf says, with one standby here instead of two): from then on
# a COMMIT, and so an ack, returns only once the standby has the WAL on disk.
# ALTER SYSTEM runs after the copy, so the replica, once promoted, does not
# wait for a standby of its own (there is none left). Sets PGR_PORT, PGR_PID,
# PGR_DIR; the replica is stopped by the cleanup like the primary.
pg_start_sync_replica() {
    PGR_DIR=$BENCH_STATE/pg-replica
    free_port
    PGR_PORT=$FREE_PORT
    mkdir -p "$PGR_DIR"
    chown postgres:postgres "$PGR_DIR"
    psql_admin postgres -qc "CREATE ROLE replicator REPLICATION LOGIN PASSWORD '$PG_PASSWORD'" \
        || die "could not create the replication role"
    section "PostgreSQL streaming replica (synchronous standby)"
    res_cmd runuser -u postgres -- pg_basebackup -h 127.0.0.1 -p "$PG_PORT" -U replicator -D "$PGR_DIR/data" -R -X stream -c fast
    PGPASSWORD=$PG_PASSWORD as_postgres "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U replicator \
        -D "$PGR_DIR/data" -R -X stream -c fast >"$BENCH_STATE/pg-basebackup.log" 2>&1 \
        || die "pg_basebackup failed: $(tail -n 5 "$BENCH_STATE/pg-basebackup.log")"
    cat >"$PGR_DIR/data/replica.conf" <<EOF2
# bench/faults/common.sh: the primary's settings (copied), on its own port.
port = $PGR_PORT
unix_socket_directories = '$PGR_DIR'
# The standby's name in the primary's synchronous_standby_names.
cluster_name = 'standby1'
EOF2
    chown postgres:postgres "$PGR_DIR/data/replica.conf"
    printf "include 'replica.conf'\n" >>"$PGR_DIR/data/postgresql.conf"
    res "settings: the primary's (copied by pg_basebackup), then replica.conf:"
    res <"$PGR_DIR/data/replica.conf"
    pg_start_folder "$PGR_DIR"
    PGR_PID=$PG_STARTED_PID
    bench_on_cleanup pg_replica_log
    local sql="ALTER SYSTEM SET synchronous_standby_names = 'ANY 1 (standby1)'"
    res "on the primary: $sql; SELECT pg_reload_conf()"
    { psql_admin postgres -qc "$sql" && psql_admin postgres -qAtc "SELECT pg_reload_conf()" >/dev/null; } \
        || die "could not set synchronous_standby_names"
    pg_wait_sync_standby
    log "replica: pid $PGR_PID, port $PGR_PORT"
}

# Waits (30 s at most) until the primary's pg_stat_replication shows
# standby1 streaming as a synchronous standby (quorum for ANY, or sync).
pg_wait_sync_standby() {
    local i state=
    for ((i = 0; i < 300; i++)); do
        state=$(psql_admin postgres -Atc "SELECT state || ' ' || sync_state FROM pg_stat_replication WHERE application_name = 'standby1'")
        case $state in "streaming quorum" | "streaming sync") break ;; esac
        sleep 0.1
    done
    res "pg_stat_replication on the primary: standby1 $state"
    case $state in "streaming quorum" | "streaming sync") ;; *) die "the replica is not a synchronous standby: '$state'" ;; esac
}

# Starts the PostgreSQL whose data is in FOLDER/data (log FOLDER/server.log)
# as postgres, records the command, tracks it for the cleanup (stopped like
# the primary) and sets PG_STARTED_PID.
pg_start_folder() { # FOLDER
    local d=$1
    res_cmd runuser -u postgres -- "$PGBIN/pg_ctl" -D "$d/data" -l "$d/server.log" -w -t 120 start
    as_postgres "$PGBIN/pg_ctl" -D "$d/data" -l "$d/server.log" -w -t 120 start >/dev/null \
        || die "PostgreSQL in $d did not start: $(tail -n 10 "$d/server.log")"
    PG_STARTED_PID=$(head -n 1 "$d/data/postmaster.pid")
    bench_track postgres "$PG_STARTED_PID"
}

# The daemons' URL naming the primary and then the replica, as
# docs/operations.md "Database URL and failover" writes it.
pg_multi_host_url() { # DB
    echo "postgresql://sanayicin:$PG_PASSWORD@127.0.0.1:$PG_PORT,127.0.0.1:$PGR_PORT/$1?target_session_attrs=read-write&connect_timeout=2"
}

# The unplanned switch: the primary stopped with -m immediate (its backends
# killed, no shutdown checkpoint, nothing more sent to the standby: what a
# crash or a lost host leaves), FAULT_LENGTH seconds in which nobody has
# promoted anything yet (a failover manager noticing), then pg_ctl promote
# on the replica (-w: returns once it accepts writes). Afterwards PG_* name
# the new primary, so the run's end report reads its statistics. The
# caller writes the end marker, then runs pg_check_promoted (with that psql
# check before the marker, a loaded machine put the marker 3.8-10 s after
# the promotion).
pg_failover() { # FAULT
    local f=$1 t0 t1
    res "primary (pid $PG_PID, port $PG_PORT): pg_ctl stop -m immediate; after $FAULT_LENGTH s the replica (pid $PGR_PID, port $PGR_PORT) promoted"
    res_cmd runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PG_SOCKET/data" -m immediate -w stop
    res_cmd runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGR_DIR/data" -w -t 60 promote
    mark "$f" start
    t0=$EPOCHREALTIME
    as_postgres "$PGBIN/pg_ctl" -D "$PG_SOCKET/data" -m immediate -w -t 60 stop >/dev/null \
        || die "pg_ctl stop -m immediate failed"
    bench_untrack "$PG_PID"
    res "pg_ctl stop -m immediate returned after $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.3f", b - a}') s"
    sleep "$FAULT_LENGTH"
    t1=$EPOCHREALTIME
    as_postgres "$PGBIN/pg_ctl" -D "$PGR_DIR/data" -w -t 60 promote >/dev/null \
        || die "pg_ctl promote failed: $(tail -n 10 "$PGR_DIR/server.log")"
    res "pg_ctl promote -w returned after $(awk -v a="$t1" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.3f", b - a}') s"
    PG_PID=$PGR_PID
    PG_PORT=$PGR_PORT
    PG_SOCKET=$PGR_DIR
}

# After the end marker: the promoted replica takes writes.
pg_check_promoted() {
    [ "$(psql_admin postgres -Atc 'SELECT pg_is_in_recovery()')" = f ] \
        || die "the replica is still in recovery after pg_ctl promote"
    res "the new primary: pg_is_in_recovery() false"
}

# Cleanup: the replica's promotion and its warnings and errors, after the
# run's other logs (archive-push fails here as on the primary: the bench has
# no pgBackRest repository; those lines are counted, not shown).
pg_replica_log() {
    [ -n "$RESULT" ] && [ -f "$PGR_DIR/server.log" ] || return 0
    local log=$PGR_DIR/server.log n
    section "PostgreSQL replica log (promoted in the fault)"
    { grep -E 'promot|selected new timeline|archive recovery complete|ready to accept' "$log" || true; } | cut -c1-300 | res
    n=$(grep -cE 'archive command failed|archive-push|pg1-path|archiving write-ahead log' "$log" || true)
    res "archive-push failures (no pgBackRest repository in the bench): $n lines"
    res "other lines with ERROR/FATAL/PANIC/WARNING (last 20):"
    { grep -E 'ERROR|FATAL|PANIC|WARNING' "$log" | grep -vE 'archive command failed|archive-push|pg1-path|archiving write-ahead log' || true; } \
        | tail -n 20 | cut -c1-300 | res
}

# ---- network faults (bench/faults/net-*.sh) ----------------------------------
# Instance c1 runs in a network namespace of its own (NET_NS), joined to the
# root namespace by a veth pair: NET_HOST (10.231.N.1) on the root side,
# NET_C1 (10.231.N.2) inside. PostgreSQL and Redis listen on NET_HOST too;
# that address exists only on this veth, inside this machine, so the
# services stay unreachable from outside as with loopback alone. The faults
# are rules inside the namespace on c1's traffic to one service, so c0, c2,
# the generator and the other service are not touched. netem (tc qdisc ...
# netem) is what one would use; this kernel has none (CONFIG_NET_SCH_NETEM
# unset), so loss and partitions are nftables drops and delay is
# tools/netdelay (an NFQUEUE program). docs/reliability.md, "Network faults".
NET_NS=
NET_HOST=
NET_C1=
NET_VETH=

# The namespace, the veth pair, the services on NET_HOST, and c1's setup.
net_setup() {
    [ -z "$NET_NS" ] || return 0 # one namespace for several network faults in one run
    command -v nft >/dev/null || die "nft missing (tools/packages.txt: nftables)"
    [ "$USE_PGB" -eq 0 ] || die "the network faults do not take --pgbouncer (it listens on loopback only)"
    local n i
    # A /30 of 10.231.0.0/16 that no interface here has yet.
    for ((i = 0; i < 250; i++)); do
        n=$(((($$ + i) % 250) + 1))
        ip -4 -o addr show | grep -q " 10\.231\.$n\." || break
    done
    NET_NS=sny-$$
    NET_VETH=sny$$r
    NET_HOST=10.231.$n.1
    NET_C1=10.231.$n.2
    section "network namespace"
    bench_on_cleanup net_teardown
    ip netns add "$NET_NS" || die "ip netns add $NET_NS failed"
    ip link add "$NET_VETH" type veth peer name "sny$$c" || die "veth pair failed"
    ip link set "sny$$c" netns "$NET_NS"
    ip addr add "$NET_HOST/30" dev "$NET_VETH"
    ip link set "$NET_VETH" up
    ip -n "$NET_NS" addr add "$NET_C1/30" dev "sny$$c"
    ip -n "$NET_NS" link set "sny$$c" up
    ip -n "$NET_NS" link set lo up
    res "namespace $NET_NS; veth $NET_VETH $NET_HOST (root side) -- sny$$c $NET_C1 (inside); c1 runs inside"
    # PostgreSQL: listen on NET_HOST too, let c1's address in, restart.
    psql_admin postgres -qc "ALTER SYSTEM SET listen_addresses = '127.0.0.1,$NET_HOST'" >/dev/null
    echo "host all sanayicin $NET_C1/32 scram-sha-256" >>"$PG_SOCKET/data/pg_hba.conf"
    res "PostgreSQL: listen_addresses '127.0.0.1,$NET_HOST', pg_hba: host all sanayicin $NET_C1/32 scram-sha-256; restarted"
    as_postgres "$PGBIN/pg_ctl" -D "$PG_SOCKET/data" -m fast -w -t 120 restart -l "$PG_SOCKET/server.log" >/dev/null \
        || die "PostgreSQL did not restart: $(tail -n 10 "$PG_SOCKET/server.log")"
    bench_untrack "$PG_PID"
    PG_PID=$(head -n 1 "$PG_SOCKET/data/postmaster.pid")
    bench_track postgres "$PG_PID"
    # Redis: the same conf with NET_HOST added to bind (CONFIG SET is not in
    # the shipped ACL, so a restart on the same port).
    bench_stop_pid "$REDIS_PID" 20 TERM
    sed -i "s/^bind 127\.0\.0\.1\$/bind 127.0.0.1 $NET_HOST/" "$BENCH_STATE/redis/redis.conf"
    # A Redis started again later (redis-restart in a soak) binds it too:
    # without, c1 lost Redis for good at the first restart (the wide soak
    # of 01:00 ran 15 minutes that way and ended when c1, killed, could not
    # start again).
    BENCH_REDIS_BIND_MORE=$NET_HOST
    res "Redis: bind 127.0.0.1 $NET_HOST; restarted on port $REDIS_PORT"
    redis-server "$BENCH_STATE/redis/redis.conf" >>"$BENCH_STATE/redis/redis.out" 2>&1 &
    REDIS_PID=$!
    bench_track redis "$REDIS_PID"
    # Both answer from inside the namespace before c1 starts.
    for ((i = 0; i < 100; i++)); do
        ip netns exec "$NET_NS" redis-cli -h "$NET_HOST" -p "$REDIS_PORT" --user sanayicin --pass "$PG_PASSWORD" \
            --no-auth-warning ping 2>/dev/null | grep -q PONG \
            && ip netns exec "$NET_NS" env PGPASSWORD="$PG_PASSWORD" psql -h "$NET_HOST" -p "$PG_PORT" -U sanayicin \
                -d faults -Atc 'SELECT 1' >/dev/null 2>&1 && break
        sleep 0.1
    done
    [ "$i" -lt 100 ] || die "PostgreSQL or Redis not reachable from $NET_NS at $NET_HOST"
    # shellcheck disable=SC2034 # read by start_instance
    DAEMON_SETUP_c1="BENCH_DAEMON_WRAP=(ip netns exec $NET_NS); BENCH_DAEMON_HOST=$NET_C1
        DAEMON_DB_URL=postgresql://sanayicin:$PG_PASSWORD@$NET_HOST:$PG_PORT/faults
        DAEMON_REDIS_URL=redis://sanayicin:$PG_PASSWORD@$NET_HOST:$REDIS_PORT/0"
}

# Cleanup hook: the namespace (with its rules) and the veth pair.
net_teardown() {
    [ -n "$NET_NS" ] || return 0
    ip link del "$NET_VETH" 2>/dev/null
    ip netns del "$NET_NS" 2>/dev/null
    NET_NS=
    return 0
}

# The port of SERVICE (pg or redis).
net_port() { case $1 in pg) echo "$PG_PORT" ;; redis) echo "$REDIS_PORT" ;; esac; }
net_name() { case $1 in pg) echo PostgreSQL ;; redis) echo Redis ;; esac; }

# How long a network fault holds: --fault-length, at least MIN s (10);
# NET_HOLD=S sets it exactly (a partition shorter than the TCP timeouts).
net_hold() { awk -v h="$FAULT_LENGTH" -v m="${1:-10}" -v x="${NET_HOLD:-}" 'BEGIN { print (x != "" ? x : h < m ? m : h) }'; }

# c1's /readyz now: the status code and body, into the result.
net_readyz() { # WHEN
    local url="http://${DAEMON_HOSTS[1]}:${DAEMON_PORTS[1]}/readyz"
    res "c1 /readyz $1: $(curl -s --max-time 5 -w ' (HTTP %{http_code})' "$url" | tr -d '\n' | cut -c1-200)"
}

# Holds the fault for S seconds, with a /readyz sample of c1 halfway (in
# the background: an answer that waits for the database must not lengthen
# the fault).
net_hold_for() { # S
    local half probe
    half=$(awk -v h="$1" 'BEGIN { print h / 2 }')
    sleep "$half"
    net_readyz "halfway through the fault" &
    probe=$!
    sleep "$half"
    wait "$probe" || true
}

# After the heal: how long until c1's /readyz says ready again (at most 60 s).
net_ready_again() {
    local url="http://${DAEMON_HOSTS[1]}:${DAEMON_PORTS[1]}/readyz" t0 i
    t0=$(date +%s%N)
    for ((i = 0; i < 600; i++)); do
        [ "$(curl -s -o /dev/null --max-time 2 -w '%{http_code}' "$url")" = 200 ] && break
        sleep 0.1
    done
    res "c1 /readyz 200 again $(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }') s after the heal"
    [ "$i" -lt 600 ] || res "c1 NOT ready 60 s after the heal"
}

# Drops PERCENT % of the packets between c1 and SERVICE, both directions
# (100: a partition), for net_hold MIN seconds; then removes the rules.
net_drop() { # FAULT SERVICE PERCENT [MIN]
    local f=$1 port hold cond=
    port=$(net_port "$2")
    hold=$(net_hold "${4:-10}")
    [ "$3" -lt 100 ] && cond="numgen random mod 100 < $3"
    local rules="table inet sny_fault {
        chain out { type filter hook output priority 0; ip daddr $NET_HOST tcp dport $port $cond counter drop; }
        chain in { type filter hook input priority 0; ip saddr $NET_HOST tcp sport $port $cond counter drop; }
    }"
    res "c1 <-> $(net_name "$2") ($NET_HOST:$port): $3 % of packets dropped both ways for $hold s (nft in $NET_NS), then the rules removed"
    res_cmd ip netns exec "$NET_NS" nft -f - "<<<" "$rules"
    mark "$f" start
    ip netns exec "$NET_NS" nft -f - <<<"$rules" || die "nft rules failed"
    net_hold_for "$hold"
    ip netns exec "$NET_NS" nft list table inet sny_fault | grep -o 'counter packets [0-9]*' \
        | sed 's/counter packets/dropped:/' | paste -sd' ' | sed 's/^/packets (c1 to it, back): /' | res
    ip netns exec "$NET_NS" nft delete table inet sny_fault || die "removing the nft rules failed"
    mark "$f" end
    net_ready_again
}

# Delays every packet from c1 to SERVICE by NET_DELAY_MS (default 200) for
# tools/netdelay, built (net_setup asks first: a soak would find it missing
# only at its first delay fault).
NET_DELAYER=
net_need_delayer() {
    local delayer=$BUILD/tools/netdelay/sanayicin-netdelay
    [ -x "$delayer" ] || die "missing $delayer: cmake --build $BUILD --target sanayicin-netdelay (needs libnetfilter-queue-dev)"
    NET_DELAYER=$delayer
}

# net_hold seconds: iptables NFQUEUE in the namespace and tools/netdelay,
# which accepts each packet that long after it came. One way only (c1 to
# the service), as netem on c1's interface would: each round trip +D ms.
net_delay() { # FAULT SERVICE
    local f=$1 port hold ms=${NET_DELAY_MS:-200} i
    net_need_delayer
    local delayer=$NET_DELAYER
    command -v iptables >/dev/null || die "iptables missing (tools/packages.txt)"
    port=$(net_port "$2")
    hold=$(net_hold)
    local rule=(OUTPUT -d "$NET_HOST" -p tcp --dport "$port" -j NFQUEUE --queue-num 7)
    res "c1 -> $(net_name "$2") ($NET_HOST:$port): every packet held $ms ms for $hold s (iptables NFQUEUE in $NET_NS, tools/netdelay), then the rule removed"
    ip netns exec "$NET_NS" "$delayer" --queue 7 --delay-ms "$ms" >"$BENCH_STATE/netdelay.out" 2>"$BENCH_STATE/netdelay.err" &
    local pid=$!
    bench_track netdelay "$pid"
    for ((i = 0; i < 100; i++)); do
        grep -q ready "$BENCH_STATE/netdelay.out" && break
        kill -0 "$pid" 2>/dev/null || die "netdelay did not start: $(cat "$BENCH_STATE/netdelay.err")"
        sleep 0.1
    done
    res_cmd ip netns exec "$NET_NS" iptables -A "${rule[@]}"
    mark "$f" start
    ip netns exec "$NET_NS" iptables -A "${rule[@]}" || die "iptables NFQUEUE rule failed"
    net_hold_for "$hold"
    ip netns exec "$NET_NS" iptables -D "${rule[@]}" || die "removing the NFQUEUE rule failed"
    kill -0 "$pid" 2>/dev/null || die "netdelay ended during the fault: $(cat "$BENCH_STATE/netdelay.err")"
    mark "$f" end
    # It lets go of what it still holds, then ends.
    bench_stop_pid "$pid" 10 TERM
    res <"$BENCH_STATE/netdelay.err"
    net_ready_again
}
