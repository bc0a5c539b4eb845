#!/usr/bin/env bash
# The .deb test of issue 11: the sanayicind package (built by build-debs.sh)
# installs into a scratch root with dpkg, its postinst makes the system user,
# sets /etc/sanayicin's owner and modes and runs the migrations against the
# configured database (SQLite here); the unit's ExecStart command line,
# started with NOTIFY_SOCKET set by the test, reports READY=1 and serves
# /readyz; SIGTERM drains it; a purge removes the package and its settings.
#
#   package-install-test.sh DEBS-FOLDER
set -euo pipefail
debs=${1:?folder of build-debs.sh}
# shellcheck source-path=SCRIPTDIR source=scratch_root.sh
. "$(dirname "${BASH_SOURCE[0]}")/scratch_root.sh"
deb=$(echo "$debs"/sanayicind_1.0_*.deb)

# The database the admin configured before installing.
mkdir -p "$root/etc/sanayicin"
db=$root/var/lib/sanayicin/migrate/shared.sqlite
echo "SANAYICIN_DATABASE=sqlite://$db" >"$root/etc/sanayicin/secrets.env"

$SANAYICIN_DPKG -i "$deb" >"$work/dpkg-install.log" 2>&1 || { cat "$work/dpkg-install.log"; exit 1; }
grep -v '^ ' "$work/dpkg-install.log" | grep -v 'depends on' # not the scratch root's missing libraries
check "installed as 1.0" test "$(installed_version)" = ii1.0
check "the user sanayicin exists (systemd-sysusers)" grep -q '^sanayicin:' "$root/etc/passwd"
check "/etc/sanayicin is root:sanayicin 0750" \
    test "$(stat -c '%U %a' "$root/etc/sanayicin") $(stat -c %g "$root/etc/sanayicin")" = \
    "root 750 $(awk -F: '$1 == "sanayicin" { print $3 }' "$root/etc/group")"
check "sanayicind.ini is 0640" test "$(stat -c %a "$root/etc/sanayicin/sanayicind.ini")" = 640
# shellcheck disable=SC2016 # dpkg-query's own ${field} syntax
check "sanayicind.ini and instance-1.env are conffiles" \
    bash -c '$SANAYICIN_DPKG_QUERY -W -f="\${Conffiles}" sanayicind | grep -q "/etc/sanayicin/sanayicind.ini " &&
             $SANAYICIN_DPKG_QUERY -W -f="\${Conffiles}" sanayicind | grep -q "/etc/sanayicin/instance-1.env "'
check "the admin's secrets.env was kept" grep -qx "SANAYICIN_DATABASE=sqlite://$db" "$root/etc/sanayicin/secrets.env"
check "postinst ran the migrations" grep -q 'applying database migrations' "$work/dpkg-install.log"
check "the migrated database belongs to sanayicin" \
    test "$(stat -c %u "$db" 2>/dev/null || echo none)" = "$(awk -F: '$1 == "sanayicin" { print $3 }' "$root/etc/passwd")"

# The instance on a free port, started as its unit says (NOTIFY_SOCKET set
# by the runner, which waits for READY=1 as systemd does).
port=$(free_port)
sed -i "s/^SANAYICIN_LISTEN=.*/SANAYICIN_LISTEN=127.0.0.1:$port/" "$root/etc/sanayicin/instance-1.env"
export UNIT_RUNNER_START_TIMEOUT=60
check "sanayicind@1 reports READY=1" python3 "$here/unit_runner.py" systemctl start sanayicind@1
check "it serves /readyz with 200" \
    test "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$port/readyz")" = 200
check "it runs as sanayicin" test "$(stat -c %u "/proc/$(cat "$state/sanayicind_1.service.pid")")" = \
    "$(awk -F: '$1 == "sanayicin" { print $3 }' "$root/etc/passwd")"
check "it uses the shared database" grep -q "shared.sqlite" "$state/sanayicind@1.service.log"
check "SIGTERM drains it" python3 "$here/unit_runner.py" systemctl stop sanayicind@1
check "its log says it drained and stopped" \
    bash -c "grep -q 'draining:' '$state/sanayicind@1.service.log' && grep -q 'stopped' '$state/sanayicind@1.service.log'"

$SANAYICIN_DPKG --purge sanayicind >"$work/dpkg-purge.log" 2>&1 || { cat "$work/dpkg-purge.log"; exit 1; }
check "purged" test -z "$(installed_version)"
check "the binary and units are gone" \
    test ! -e "$root/usr/bin/sanayicind" -a ! -e "$root/usr/lib/systemd/system/sanayicind@.service"
check "/etc/sanayicin is gone" test ! -e "$root/etc/sanayicin"
finish
