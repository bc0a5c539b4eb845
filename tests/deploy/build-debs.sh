#!/usr/bin/env bash
# The package tests' setup (fixture "debs"): the sanayicind .deb of this build
# tree, made by cpack (cmake/Packaging.cmake) from the daemon already built,
# as version 1.0, into OUT, and checked for what the package must hold. Then
# two later versions made from it by unpacking and packing again (a second
# cpack run would cost seconds for the same bytes): 1.1, the same with only
# its version raised, and 1.2, whose sanayicind.ini sends the daemon to a
# Redis that is never there (port 1 on loopback), so that it runs but never
# becomes ready: the version deploy.sh must roll back; and 1.3, whose
# sanayicind.ini names a database in a folder that does not exist, so that
# its postinst's migrations fail and dpkg -i with them. Uncompressed: quick.
#
#   build-debs.sh BUILD-DIR OUT
set -euo pipefail
build=${1:?build dir} out=${2:?output folder}
rm -rf "$out"
mkdir -p "$out"
# The console's package too when this build made the console.
components=sanayicind
[ -x "$build/console/sanayicin-console" ] && components="sanayicind;console"
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$out/cpack" -D CPACK_PACKAGE_VERSION=1.0 \
    -D CPACK_COMPONENTS_ALL="$components" -D CPACK_DEBIAN_COMPRESSION_TYPE=none >"$out/cpack.log" 2>&1 ||
    { cat "$out/cpack.log"; exit 1; }
mv "$out/cpack"/*_1.0_*.deb "$out/"
rm -rf "$out/cpack"

problems=()
deb=$(echo "$out"/sanayicind_1.0_*.deb)
info=$(dpkg-deb -I "$deb")
[ "$(dpkg-deb -f "$deb" Version)" = 1.0 ] || problems+=("version is not 1.0")
depends=$(dpkg-deb -f "$deb" Depends)
for d in libqt6core6 libc6 libhiredis0.14 libpq5 libqt6sql6-psql systemd; do
    grep -Eq "(^|, )$d( |,|$)" <<<"$depends" || problems+=("Depends lacks $d")
done
for s in postinst prerm postrm conffiles; do
    grep -q " $s" <<<"$info" || problems+=("no $s in the control archive")
done
conffiles=$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles)
for f in sanayicind.ini instance-1.env; do
    grep -qx "/etc/sanayicin/$f" <<<"$conffiles" || problems+=("/etc/sanayicin/$f is not a conffile")
done
files=$(dpkg-deb -c "$deb" | awk '{ print $NF }')
for f in ./usr/bin/sanayicind ./usr/lib/systemd/system/sanayicind@.service \
    ./usr/lib/systemd/system/sanayicin.target ./usr/lib/systemd/system/sanayicin-worker@.service \
    ./usr/lib/systemd/system/sanayicin-scheduler.service ./usr/lib/systemd/system/sanayicind-migrate.service \
    ./usr/lib/sysusers.d/sanayicin.conf ./usr/lib/sanayicin/deploy.sh; do
    grep -qx "$f" <<<"$files" || problems+=("$f missing")
done
# What docs/operations.md's steps need on a server that has only the package
# (found missing by the walk-through on a fresh Debian 12): the backup units
# and their scripts, the pgBouncer exporter's compat script, and deploy/'s
# other files with the web page under /usr/share/sanayicind.
for f in sanayicin-backup@.service sanayicin-backup-full.timer sanayicin-backup-diff.timer \
    sanayicin-restore-drill.service sanayicin-restore-drill.timer; do
    grep -qx "./usr/lib/systemd/system/$f" <<<"$files" || problems+=("./usr/lib/systemd/system/$f missing")
done
for f in backup.sh backup-lib.sh restore.sh restore-drill.sh dump.sh pgbouncer-exporter-compat.py; do
    grep -qx "./usr/lib/sanayicin/$f" <<<"$files" || problems+=("./usr/lib/sanayicin/$f missing")
done
for f in nginx/sanayicin.conf nginx/nginx.conf pgbouncer/pgbouncer.ini redis/redis.conf redis/users.acl.example \
    postgresql/sanayicin.conf postgresql/tables.sql monitoring/prometheus.yml monitoring/alertmanager.yml \
    monitoring/exporters/prometheus-redis-exporter.default monit/sanayicin nftables/sanayicin.nft \
    pgbackrest/pgbackrest.conf sysctl/90-sanayicin.conf \
    systemd/drop-ins/prometheus-pgbouncer-exporter.service.d/sanayicin.conf; do
    grep -qx "./usr/share/sanayicind/deploy/$f" <<<"$files" || problems+=("./usr/share/sanayicind/deploy/$f missing")
done
grep -qx ./usr/share/sanayicind/resources/web/index.html <<<"$files" || problems+=("the web page is missing")
! grep -q -- '-test\.' <<<"$files" || problems+=("a test-only file is packaged")
# Every packaged unit and drop-in names the packaged paths, none under
# /usr/local (one extraction of those files: the archive holds the daemon).
units=$out/units-check
mkdir -p "$units"
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$units" --wildcards './usr/lib/systemd/system/*' \
    './usr/share/sanayicind/deploy/systemd/drop-ins/*'
while read -r f; do
    problems+=("${f#"$units"/} names /usr/local")
done < <(grep -rlE '^[^#]*/usr/local' "$units")
rm -rf "$units"
unit=$(dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/lib/systemd/system/sanayicind@.service)
grep -q '^ExecStart=/usr/bin/sanayicind --config /etc/sanayicin/sanayicind.ini$' <<<"$unit" ||
    problems+=("the packaged unit does not run /usr/bin/sanayicind")
if [ "$components" = sanayicind ]; then
    echo "(no console in $build: its package not checked)"
else
    console=$(echo "$out"/sanayicin-console_1.0_*.deb)
    files=$(dpkg-deb -c "$console" | awk '{ print $NF }')
    for f in ./usr/bin/sanayicin-console ./usr/share/applications/sanayicin-console.desktop; do
        grep -qx "$f" <<<"$files" || problems+=("console: $f missing")
    done
    depends=$(dpkg-deb -f "$console" Depends)
    for d in libqt6widgets6 libqt6charts6 qt6-translations-l10n; do
        grep -Eq "(^|, )$d( |,|$)" <<<"$depends" || problems+=("console: Depends lacks $d")
    done
    rm -f "$console" # no test installs it
fi
if [ ${#problems[@]} -gt 0 ]; then
    printf 'FAIL: %s\n' "${problems[@]}"
    exit 1
fi

# Version $1 of the package, made from 1.0; with a second argument, that
# line appended to its sanayicind.ini (and the md5sums dpkg checks updated).
derive() {
    local tree=$out/tree-$1
    dpkg-deb -R "$deb" "$tree"
    sed -i "s/^Version: .*/Version: $1/" "$tree/DEBIAN/control"
    if [ -n "${2:-}" ]; then
        printf '%s\n' "$2" >>"$tree/etc/sanayicin/sanayicind.ini"
        sed -i "s|^[0-9a-f]*  etc/sanayicin/sanayicind.ini\$|$(cd "$tree" && md5sum etc/sanayicin/sanayicind.ini)|" \
            "$tree/DEBIAN/md5sums"
        (cd "$tree" && md5sum -c --quiet DEBIAN/md5sums) || { echo "FAIL: md5sums of $1"; exit 1; }
    fi
    dpkg-deb -Znone -b "$tree" "$out/" >/dev/null
    rm -rf "$tree"
}
derive 1.1
derive 1.2 'redis = redis://127.0.0.1:1/0'
derive 1.3 'database = sqlite:///nonexistent/sanayicin.sqlite'
echo "built: $(cd "$out" && echo sanayicind_*.deb)"
