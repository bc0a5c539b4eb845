#!/usr/bin/env bash
# Installs the Debian packages in tools/packages.txt that are missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mapfile -t wanted < <(grep -vE '^\s*(#|$)' "$here/packages.txt")
missing=()
for p in "${wanted[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
# nodejs/npm may come from another source than Debian's archive; either will do.
if command -v node >/dev/null && command -v npm >/dev/null; then
    missing=("${missing[@]/nodejs}")
    missing=("${missing[@]/npm}")
fi
read -r -a missing <<<"${missing[*]:-}"
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q >/dev/null
$sudo apt-get install -y -q "${missing[@]}" >/dev/null
# Debian starts these as system services on install; the tests run their own.
for s in postgresql redis-server nginx pgbouncer monit prometheus prometheus-alertmanager \
    prometheus-node-exporter prometheus-postgres-exporter prometheus-pgbouncer-exporter \
    prometheus-redis-exporter prometheus-nginx-exporter; do
    $sudo systemctl disable --now "$s" >/dev/null 2>&1 || true
done
