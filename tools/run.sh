#!/usr/bin/env bash
# Installs what is needed, builds, and starts sanayicind on its embedded
# default (SQLite in ./data, in-process delivery). Open the printed address.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build

"$root/tools/install-packages.sh"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSANAYICIN_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j "$(nproc)"

listen=${SANAYICIN_LISTEN:-127.0.0.1:8080}
echo
echo "Sanayicin is starting: open http://$listen/ in a browser (Ctrl-C stops it)."
echo
cd "$root"
exec "$build/server/sanayicind" --listen "$listen" --data-dir "${SANAYICIN_DATA_DIR:-$root/data}" "$@"
