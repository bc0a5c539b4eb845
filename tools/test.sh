#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine: installs the packages,
# builds with AddressSanitizer and UndefinedBehaviorSanitizer, and runs every
# suite through ctest, which starts PostgreSQL and Redis on loopback itself,
# then every fuzz target for a minute in all (tools/fuzz.sh). A sanitizer
# finding fails the run. Arguments go to ctest (and skip the fuzzing).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${SANAYICIN_TEST_BUILD:-$root/build-asan}

"$root/tools/install-packages.sh"

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSANAYICIN_SANITIZE=ON >/dev/null
cmake --build "$build" -j "$(nproc)"

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:halt_on_error=1:detect_stack_use_after_return=0"
export LSAN_OPTIONS="suppressions=$root/tests/sanitizers/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$root/tests/sanitizers/ubsan.supp"
export QT_QPA_PLATFORM=offscreen

cd "$build"
ctest --output-on-failure --timeout 600 -j "$(nproc)" "$@"

# Every fuzz target on its seeds and past findings, then a minute of new
# inputs in all (tools/fuzz.sh --minutes N runs longer).
if [ $# -eq 0 ]; then
    "$root/tools/fuzz.sh" --total-seconds 60
fi
