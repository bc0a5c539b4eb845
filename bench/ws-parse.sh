#!/usr/bin/env bash
# bench/ws-parse.sh: frame parsing throughput of the native WebSocket, the
# read path of c79186b against WsFrameParser, in one process (no sockets).
# Builds with g++ -O2 into build-bench/ws-parse and prints MB/s per workload.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/build-bench/ws-parse
mkdir -p "$out"
# shellcheck disable=SC2046
g++ -std=c++20 -O2 -DNDEBUG -fPIC -o "$out/ws_parse_bench" \
    "$root/bench/ws-parse/ws_parse_bench.cpp" "$root/server/ws/ws_frame_parser.cpp" \
    "$root/common/text/utf8.cpp" -I"$root/server" -I"$root/common" \
    $(pkg-config --cflags --libs Qt6Core)
"$out/ws_parse_bench"
