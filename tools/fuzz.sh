#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz, clang-15 with ASan and UBSan) and
# runs each one on its committed seeds, its past findings and what earlier
# local runs found.
#
#   tools/fuzz.sh --minutes N [TARGET...]      N minutes per target
#   tools/fuzz.sh --total-seconds S [TARGET...] S seconds shared by all
#                                               (the test command: 60)
#   tools/fuzz.sh --list                        the targets
#
# Options: --jobs J (targets run at once; default: cores), --build DIR
# (default: build-fuzz). A finding (crash, leak, timeout, out of memory) is
# copied to tests/fuzz/regressions/TARGET/, replayed by every later run, and
# fails the run: fix the parser, keep the file, commit both.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-fuzz
minutes=""
total=""
jobs=$(nproc)
list=0
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
    --minutes) minutes=$2; shift 2 ;;
    --total-seconds) total=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --list) list=1; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
    esac
done
if [ -z "$minutes" ] && [ -z "$total" ] && [ $list -eq 0 ]; then
    echo "give --minutes N or --total-seconds S (see --help)" >&2
    exit 2
fi

cxx=$(command -v clang++-15 || true)
if [ -z "$cxx" ]; then
    echo "clang++-15 is missing (tools/packages.txt lists clang-15 and libfuzzer-15-dev)" >&2
    exit 2
fi
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$root" -B "$build" -G Ninja -DSANAYICIN_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER="$cxx" "${launcher[@]}" >/dev/null
cmake --build "$build" -j "$(nproc)" >"$build/build.log" 2>&1 || {
    tail -n 40 "$build/build.log" >&2
    exit 1
}

mapfile -t all < <(grep -v '^$' "$build/fuzzers.txt")
if [ $list -eq 1 ]; then
    printf '%s\n' "${all[@]}"
    exit 0
fi
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")
for t in "${targets[@]}"; do
    printf '%s\n' "${all[@]}" | grep -qx "$t" || { echo "no fuzz target '$t'" >&2; exit 2; }
done

if [ -n "$minutes" ]; then
    seconds=$((minutes * 60))
else
    # Targets run $jobs at a time within the total.
    rounds=$(( (${#targets[@]} + jobs - 1) / jobs ))
    seconds=$(( total / rounds ))
    [ "$seconds" -ge 1 ] || seconds=1
fi

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:symbolize=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export QT_QPA_PLATFORM=offscreen
mkdir -p "$build/logs"

run_one() {
    local t=$1 seconds=$2 root=$3 build=$4
    local work=$build/corpus/$t findings=$build/findings/$t seeds=$root/tests/fuzz/corpus/$t
    local regressions=$root/tests/fuzz/regressions/$t
    mkdir -p "$work" "$findings" "$seeds"
    local dirs=("$work" "$seeds")
    [ -d "$regressions" ] && dirs+=("$regressions")
    local rc=0
    "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -max_len=70000 -print_final_stats=1 -artifact_prefix="$findings/" "${dirs[@]}" \
        >"$build/logs/$t.log" 2>&1 || rc=$?
    local execs
    execs=$(grep -E '^stat::number_of_executed_units' "$build/logs/$t.log" | awk '{print $2}' | tail -n 1)
    if [ $rc -ne 0 ]; then
        mkdir -p "$regressions"
        for f in "$findings"/*; do
            [ -f "$f" ] && cp "$f" "$regressions/" && rm -f "$f"
        done
        echo "FAIL $t (exit $rc after ${execs:-?} runs; reproducer in tests/fuzz/regressions/$t; log $build/logs/$t.log)"
        grep -E 'ERROR: |SUMMARY: |runtime error' "$build/logs/$t.log" | head -n 5 | sed 's/^/    /'
        return 1
    fi
    echo "ok   $t (${execs:-?} runs in ${seconds}s, corpus $(ls "$work" | wc -l) + $(ls "$seeds" | wc -l) seeds)"
}
export -f run_one

printf '%s\n' "${targets[@]}" \
    | xargs -P "$jobs" -I{} bash -c 'run_one "$@"' _ {} "$seconds" "$root" "$build" \
    && status=0 || status=1
exit $status
