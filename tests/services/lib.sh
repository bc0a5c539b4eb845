# shellcheck shell=bash
# Helpers the service scripts share (sourced, not run).

# A loopback TCP port nothing listens on, below the kernel's ephemeral
# range: a port in that range may be the local end of some outgoing
# connection (redis-cli, a sentinel's), which a connect test cannot see and
# which makes the server's bind fail ("Address already in use").
free_port() {
    local p low
    read -r low _ </proc/sys/net/ipv4/ip_local_port_range
    [ "$low" -gt 21024 ] || low=60000 # an unusual range: the old choice
    for _ in $(seq 1 200); do
        p=$((20000 + RANDOM % (low - 20000)))
        # Nothing listens there, and no socket in any state holds it (this
        # machine's ephemeral range may cover ours: an outgoing connection's
        # source port is taken as well, and a bind to it would fail).
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && ! ss -Htan "sport = :$p" | grep -q .; then
            echo "$p"
            return
        fi
    done
    echo "no free port found" >&2
    return 1
}

# PostgreSQL refuses to run as root: as the postgres user then.
as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}
