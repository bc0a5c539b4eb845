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
# net_hold seconds: iptables NFQUEUE in the namespace and tools/netdelay,
# which accepts each packet that long after it came. One way only (c1 to
# the service), as netem on c1's interface would: each round trip +D ms.
net_delay() { # FAULT SERVICE
    local f=$1 port hold ms=${NET_DELAY_MS:-200} i
    local delayer=$BUILD/tools/netdelay/sanayicin-netdelay
    [ -x "$delayer" ] || die "missing $delayer: cmake --build $BUILD --target sanayicin-netdelay (needs libnetfilter-queue-dev)"
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
