#!/usr/bin/env bash
# Builds the Debian packages of a Release build into a folder:
#
#   tools/package.sh [--out FOLDER] [--build FOLDER] [--no-console] [--jobs N]
#
#   --out      where the .deb files go (default: packages/)
#   --build    the Release build tree (default: build-release/), configured
#              here when it is not yet
#   --no-console  only sanayicind (no Qt Widgets, Charts, keychain needed)
#   --jobs     parallel compile jobs (default: the number of cores)
#
# Makes sanayicind_<version>_<arch>.deb and, unless --no-console,
# sanayicin-console_<version>_<arch>.deb (cmake/Packaging.cmake; the version
# is project()'s in CMakeLists.txt), stripped, dependencies from
# dpkg-shlibdeps, and prints each one's control fields.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$repo/packages build=$repo/build-release console=ON jobs=$(nproc)
while [ $# -gt 0 ]; do
    case $1 in
    --out) out=${2:?}; shift 2 ;;
    --build) build=${2:?}; shift 2 ;;
    --no-console) console=OFF; shift ;;
    --jobs) jobs=${2:?}; shift 2 ;;
    -h | --help) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "package.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
for tool in cmake cpack dpkg-deb dpkg-shlibdeps; do
    command -v "$tool" >/dev/null || { echo "package.sh: $tool not found (apt-get install cmake dpkg-dev)" >&2; exit 1; }
done

launcher=()
if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSANAYICIN_SANITIZE=OFF \
    -DSANAYICIN_BUILD_TESTS=OFF -DSANAYICIN_BUILD_CONSOLE="$console" "${launcher[@]}"
targets=(sanayicind)
[ "$console" = ON ] && targets+=(sanayicin-console)
cmake --build "$build" -j "$jobs" --target "${targets[@]}"

# cpack works in a folder of its own; only the packages are kept.
staging=$(mktemp -d "${TMPDIR:-/tmp}/sanayicin-cpack.XXXXXX")
trap 'rm -rf "$staging"' EXIT
(cd "$build" && cpack -G DEB --config CPackConfig.cmake -B "$staging")
mkdir -p "$out"
for deb in "$staging"/*.deb; do
    mv -f "$deb" "$out/"
    echo "== $out/$(basename "$deb")"
    dpkg-deb -f "$out/$(basename "$deb")" Package Version Architecture Depends Installed-Size
done
