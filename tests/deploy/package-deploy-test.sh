#!/usr/bin/env bash
# deploy.sh against a scratch root (dpkg --root) with two instances on free
# loopback ports, run as processes by unit_runner.py in systemd's place (no
# systemd runs here; NOTIFY_SOCKET is the runner's, which waits for READY=1
# as systemd does for Type=notify):
#   1. first install of 1.0 (deploy.sh --deb, --force: nothing runs yet);
#   2. upgrade to 1.1: each instance drained and restarted in turn, ready;
#   3. 1.2 never becomes ready (its sanayicind.ini points at a Redis that is
#      not there): deploy.sh reinstalls 1.1 from its kept .deb, restarts the
#      instance it had restarted, exits 3; the other one was never touched;
#   4. 1.3's postinst fails: 1.1 is installed again, no instance restarted;
#   5. without the running version's .deb, deploy.sh refuses up front.
#
#   deploy-test.sh DEBS-FOLDER
set -euo pipefail
debs=${1:?folder of build-debs.sh}
# shellcheck source-path=SCRIPTDIR source=scratch_root.sh
. "$(dirname "${BASH_SOURCE[0]}")/scratch_root.sh"
deploy=$here/../../deploy/scripts/deploy.sh
releases=$root/var/lib/sanayicin/releases

# The admin's settings, written before the first install (dpkg keeps them:
# --force-confold): each instance on a free port, no database (SQLite each).
mkdir -p "$root/etc/sanayicin"
: >"$root/etc/sanayicin/secrets.env"
p1=$(free_port) p2=$(free_port)
while [ "$p2" = "$p1" ]; do p2=$(free_port); done
echo "SANAYICIN_LISTEN=127.0.0.1:$p1" >"$root/etc/sanayicin/instance-1.env"
echo "SANAYICIN_LISTEN=127.0.0.1:$p2" >"$root/etc/sanayicin/instance-2.env"
# systemd's TimeoutStartSec (60 s) shortened: 1.2's start fails after it, a
# start of 1.0 or 1.1 (about 1 s here) has room on a loaded machine.
export UNIT_RUNNER_START_TIMEOUT=15

pid_of() { cat "$state/sanayicind_$1.service.pid" 2>/dev/null || echo none; }
ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$1/readyz")" = 200 ]; }
run_deploy() { # log-name expected-status args...
    local name=$1 want=$2 status=0
    shift 2
    "$deploy" --instances "1 2" --releases "$releases" --pause 0 --timeout 30 "$@" >"$work/$name.log" 2>&1 || status=$?
    sed "s/^/      $name | /" "$work/$name.log" | grep -v 'depends on\|^ *[a-z]* |  ' || true
    check "$name: deploy.sh exits $want (got $status)" test "$status" = "$want"
}

run_deploy install 0 --deb "$(echo "$debs"/sanayicind_1.0_*.deb)" --force
check "install: 1.0 installed" test "$(installed_version)" = ii1.0
check "install: both instances ready" bash -c "$(declare -f ready); ready $p1 && ready $p2"
check "install: 1.0's .deb kept" test -f "$releases/sanayicind_1.0_amd64.deb"

a1=$(pid_of 1) a2=$(pid_of 2)
run_deploy upgrade 0 --deb "$(echo "$debs"/sanayicind_1.1_*.deb)"
check "upgrade: 1.1 installed" test "$(installed_version)" = ii1.1
check "upgrade: both instances restarted" test "$(pid_of 1)" != "$a1" -a "$(pid_of 2)" != "$a2"
check "upgrade: both ready" bash -c "$(declare -f ready); ready $p1 && ready $p2"
check "upgrade: one at a time, instance 1 ready before 2 restarts" \
    bash -c "grep -n 'sanayicind@1 ready after\|restarting sanayicind@2' '$work/upgrade.log' | head -n 1 | grep -q '@1 ready'"
check "upgrade: the old instances drained (SIGTERM)" \
    test "$(grep -c 'draining:' "$state/sanayicind@1.service.log")" -ge 1
check "upgrade: 1.0 and 1.1 kept" test -f "$releases/sanayicind_1.0_amd64.deb" -a -f "$releases/sanayicind_1.1_amd64.deb"

b1=$(pid_of 1) b2=$(pid_of 2)
run_deploy rollback 3 --deb "$(echo "$debs"/sanayicind_1.2_*.deb)"
check "rollback: 1.1 installed again" test "$(installed_version)" = ii1.1
check "rollback: 1.2 was installed first" grep -q 'installing sanayicind 1.2 (running: 1.1' "$work/rollback.log"
check "rollback: instance 1 failed on 1.2 and was restarted on 1.1" \
    bash -c "grep -q 'rollback: installing sanayicind 1.1 again' '$work/rollback.log' && test '$(pid_of 1)' != '$b1'"
check "rollback: 1.1's settings back (no Redis line)" bash -c "! grep -q '^redis' '$root/etc/sanayicin/sanayicind.ini'"
check "rollback: instance 2 never touched" test "$(pid_of 2)" = "$b2"
check "rollback: both ready" bash -c "$(declare -f ready); ready $p1 && ready $p2"

# 1.3's postinst fails (its migrations cannot open the database): dpkg -i
# fails, 1.1 goes back in, no instance is touched.
c1=$(pid_of 1) c2=$(pid_of 2)
run_deploy postinst-fails 1 --deb "$(echo "$debs"/sanayicind_1.3_*.deb)"
check "postinst-fails: said so" grep -q 'dpkg -i of sanayicind 1.3 failed; 1.1 installed again, no instance was restarted' "$work/postinst-fails.log"
check "postinst-fails: 1.1 installed again" test "$(installed_version)" = ii1.1
check "postinst-fails: no instance restarted" test "$(pid_of 1)" = "$c1" -a "$(pid_of 2)" = "$c2"
check "postinst-fails: 1.1's settings back (no database line)" bash -c "! grep -q '^database' '$root/etc/sanayicin/sanayicind.ini'"

# Without the running version's .deb there is no way back: refused up front.
rm "$releases/sanayicind_1.1_amd64.deb"
run_deploy no-previous 1 --deb "$(echo "$debs"/sanayicind_1.2_*.deb)"
check "no-previous: refused before dpkg" bash -c "grep -q 'no .deb of the running version 1.1' '$work/no-previous.log' && test '$(installed_version)' = ii1.1"
finish
