# shellcheck shell=bash
# For the scripts that check deploy/ against services of their own
# (check-configs.sh, tests/deploy/pitr_roundtrip.sh); sourced, not run.
#
#   scratch_setup PREFIX   makes the temp folder $work (/tmp/PREFIX.XXXXXX)
#                          and, as root, $runner: the unprivileged user that
#                          everything runs as (PostgreSQL and pgBouncer refuse
#                          root); as_user runs a command as that user
#   free_port              a loopback port nobody listens on

scratch_setup() { # prefix
    work=$(mktemp -d "/tmp/$1.XXXXXX")
    chmod 0755 "$work"
    runner=()
    if [ "$(id -u)" -eq 0 ]; then
        # setpriv execs (no process in between), so a PID we record is the
        # program's own and a signal reaches it directly.
        runner=(setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME="$work")
        chown nobody "$work"
    fi
}
as_user() { "${runner[@]}" "$@"; }

free_port() {
    local p
    for _ in $(seq 1 200); do
        p=$((20000 + RANDOM % 12000)) # below the ephemeral range (32768-60999): a client socket may hold a port there that nothing listens on
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

# The shipped pgbackrest.conf with its folders moved under FOLDER (the
# repository, spool, locks, logs) for a cluster in DATA on PORT with its
# socket in SOCKET, on stdout. Fails when a path would still point at the
# system's folders.
scratch_pgbackrest_conf() { # shipped-file folder data port socket
    local out
    out=$(sed -e "s|^repo1-path=.*|repo1-path=$2/repo|" -e "s|^lock-path=.*|lock-path=$2/lock|" \
        -e "s|^log-path=.*|log-path=$2/log|" -e "s|^spool-path=.*|spool-path=$2/spool|" \
        -e "s|^pg1-path=.*|pg1-path=$3|" -e "s|^pg1-port=.*|pg1-port=$4|" \
        -e "s|^pg1-socket-path=.*|pg1-socket-path=$5|" "$1")
    if grep -E '^[a-z0-9-]*-path=/(var|etc|tmp/pgbackrest)' <<<"$out" >&2; then
        echo "scratch_pgbackrest_conf: a path above was not moved" >&2
        return 1
    fi
    printf '%s\n' "$out"
}
