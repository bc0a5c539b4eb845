# shellcheck shell=bash
# Sourced by the package tests: a scratch root that dpkg installs into
# without a chroot (dpkg --root --force-script-chrootless: the maintainer
# scripts run here with DPKG_ROOT set), and the systemctl stand-in that runs
# its units as processes (unit_runner.py). Needs root (dpkg, the user switch
# of the units' User=); without it the test is skipped (exit 77).
# Sets: root, state, here, and exports what deploy.sh and the runner read.

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ "$(id -u)" -ne 0 ]; then
    echo "SKIP: needs root (dpkg into a scratch root, units run as their User=)"
    exit 77
fi
for tool in dpkg dpkg-deb systemd-sysusers setpriv curl python3; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool not installed"; exit 1; }
done

work=$(mktemp -d /tmp/sanayicin-package.XXXXXX)
chmod 0755 "$work" # the units' User= must reach the root's files
root=$work/root state=$work/state
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers" \
    "$root/etc" "$state"
touch "$root/var/lib/dpkg/status" "$root/var/lib/dpkg/available"

export UNIT_RUNNER_ROOT=$root UNIT_RUNNER_STATE=$state
export SANAYICIN_DPKG="dpkg --root=$root --force-script-chrootless --force-depends --force-confold"
export SANAYICIN_DPKG_QUERY="dpkg-query --root=$root"
export SANAYICIN_SYSTEMCTL="python3 $here/unit_runner.py systemctl"
export SANAYICIN_JOURNALCTL="python3 $here/unit_runner.py journalctl"
export SANAYICIN_ETC=$root/etc/sanayicin

# Ends every unit the runner started (by the PIDs it recorded) and removes
# the scratch folder, on any exit.
scratch_cleanup() {
    local f
    for f in "$state"/*.pid; do
        [ -f "$f" ] || continue
        python3 "$here/unit_runner.py" systemctl stop "$(basename "$f" .pid | sed 's/_/@/')" || true
    done
    if [ "${KEEP_SCRATCH:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap scratch_cleanup EXIT

# A port the kernel hands out as free now (bound, then let go).
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

installed_version() {
    # shellcheck disable=SC2016 # dpkg-query's own ${field} syntax
    $SANAYICIN_DPKG_QUERY -W -f='${db:Status-Abbrev}${Version}' sanayicind 2>/dev/null | sed 's/ //g'
}

problems=()
check() { # description command...
    local what=$1
    shift
    if "$@"; then echo "ok    $what"; else echo "FAIL  $what"; problems+=("$what"); fi
}
finish() {
    if [ ${#problems[@]} -gt 0 ]; then
        echo "${#problems[@]} failed: $(printf '%s; ' "${problems[@]}")"
        exit 1
    fi
    echo "all passed"
}
