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
        p=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return
        fi
    done
    echo "no free port found" >&2
    return 1
}
