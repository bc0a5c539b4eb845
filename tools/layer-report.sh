#!/usr/bin/env bash
# The shape of server/ as issue 9 measures it:
#   1. include arrows that run back up between server folders,
#   2. twin use cases (one use case implemented in more than one file),
#   3. the files and thread hops of one message's send, socket to socket.
# Usage: tools/layer-report.sh [--verbose] [--root DIR]
#   DIR: a source tree to measure (e.g. an older commit unpacked with
#   git archive); by default the repository this script is in.
set -euo pipefail
verbose=""; root=""
while (( $# )); do
    case $1 in
        --verbose) verbose=--verbose ;;
        --root) root=$2; shift ;;
        *) echo "usage: $0 [--verbose] [--root DIR]" >&2; exit 2 ;;
    esac
    shift
done
cd "${root:-$(git -C "$(dirname "$0")" rev-parse --show-toplevel)}"

# The intended order, lowest first. A file may include its own folder, any
# lower layer, and common/ (json/, protocol/, ... at rank 0). Same rank is
# "sideways": not an upward arrow, counted apart.
declare -A rank=(
    [common]=0
    [storage]=1 [bridge]=1 [auth]=1 [limits]=1 [cache]=1
    [delivery]=2
    [notify]=2
    [chat]=3
    [http]=4 [ws]=4 [net]=4
    [app]=5
)
common_dirs=$(cd common && ls -d */ | tr -d / | tr '\n' ' ')

up=0; side=0
declare -A upPairs=()
while IFS= read -r line; do
    file=${line%%:*}
    inc=$(sed -E 's/.*#include "([^"]+)".*/\1/' <<<"$line")
    from=$(cut -d/ -f2 <<<"$file")
    [[ $inc == */* ]] || continue           # same folder
    to=${inc%%/*}
    if [[ " $common_dirs " == *" $to "* ]]; then to=common; fi
    [[ -n ${rank[$to]:-} && -n ${rank[$from]:-} ]] || continue
    [[ $to == "$from" ]] && continue
    if (( rank[$to] > rank[$from] )); then
        up=$((up + 1)); upPairs["$from -> $to"]=$(( ${upPairs["$from -> $to"]:-0} + 1 ))
        [[ $verbose == --verbose ]] && echo "  up: $file -> $inc"
    elif (( rank[$to] == rank[$from] )); then
        side=$((side + 1))
        [[ $verbose == --verbose ]] && echo "  sideways: $file -> $inc"
    fi
done < <(grep -rHE '^#include "' server --include='*.h' --include='*.cpp' | grep -v '^server/main.cpp')

echo "== include arrows (order: common < storage,bridge,auth,limits,cache < delivery < chat < http,ws,net < app)"
echo "upward #include edges: $up"
for k in "${!upPairs[@]}"; do echo "  $k: ${upPairs[$k]}"; done | sort
echo "sideways #include edges (same rank): $side"
echo "ws/ and http/ including storage/: $(grep -rlE '^#include "storage/' server/ws server/http | wc -l) files"
grep -rlE '^#include "storage/' server/ws server/http | sed 's/^/  /' || true

# A use case is "implemented" where the storage or writer call that does it
# is made. Each should be made in one file (chat/ once it exists).
echo
echo "== twin use cases (implemented in more than one file outside storage/)"
twins=0
check() {
    local name=$1 pattern=$2 skip=${3:-^server/storage/}
    local files
    files=$(grep -rlE "$pattern" server --include='*.cpp' | grep -vE "$skip" | sort -u)
    local n
    n=$(grep -c . <<<"$files" || true)
    printf '%-22s %d  %s\n' "$name" "$n" "$(tr '\n' ' ' <<<"$files")"
    if (( n > 1 )); then twins=$((twins + 1)); fi
}
check send           'writer\.submit\('
check mark-read      'advanceReadCursor\('
check typing         'frames::typing\('
check sync           'syncHeads\(|syncMessages\('
check history        'store::history\('
check cache-or-db    'afterFromCache\(|newestFromCache\(' '^server/(storage|cache)/'
check register       'insertUser\('
check login          'userByUsername\('
check logout         'deleteSession\('
check open-conv      'store::openConversation\('
check list-conv      'store::listConversations\('
check ban            'banUser\('
check delete-message 'store::deleteMessage\('
check report         'insertReport\('
echo "twin use cases: $twins"

# One message from the sender's socket to the recipient's: each hop's file
# and the function that does it, checked to exist so that this list cannot
# silently go stale.
echo
echo "== one message's send, socket to socket"
path=(
    "net-N     server/ws/native_ws_transport.cpp   NativeWsTransport::onReadable"
    "net-N     server/ws/ws_frame_parser.cpp       WsFrameParser::feed"
    "net-N     server/ws/native_ws_transport.cpp   NativeWsTransport::onMessage"
    "net-N     server/ws/client_connection.cpp     ClientConnection::onText"
    "net-N     common/protocol/client_frames.cpp   parseClientFrame"
    "net-N     server/ws/frame_dispatch.cpp        ClientConnection::handleSend"
    "net-N     server/chat/messaging.cpp           Messaging::send"
    "net-N     server/limits/rate_gate.cpp         RateGate::take"
    "writer    server/storage/message_writer.cpp   MessageWriter::processSends"
    "writer    server/storage/message_batch.cpp    storeMessageBatch"
    "writer    server/storage/message_writer.cpp   m_sink.committed"
    "writer    server/delivery/delivery_service.cpp DeliveryService::committed"
    "delivery  server/delivery/delivery_service.cpp DeliveryService::process"
    "delivery  server/delivery/sequencer.cpp       Sequencer::arrive"
    "delivery  server/delivery/delivery_service.cpp DeliveryService::deliver"
    "delivery  server/delivery/local_hub.cpp       LocalHub::deliverToHosts"
    "net-M     server/ws/ws_gateway.cpp            WsGateway::deliverMessages"
    "net-M     server/ws/live_ordering.cpp         ClientConnection::deliver"
    "net-M     server/ws/client_connection.cpp     ClientConnection::sendFrame"
    "net-M     server/ws/native_ws_transport.cpp   NativeWsTransport::sendText"
    "branch    writer                              (the_ack,_from_the_writer's_result_after_COMMIT)"
    "writer    server/chat/messaging.cpp           cmd.reply"
    "writer    common/threading/mailbox.cpp        Mailbox::post"
    "net-N     common/threading/mailbox.cpp        Mailbox::drain"
    "net-N     server/chat/messaging.cpp           sendOutcome"
    "net-N     server/ws/frame_dispatch.cpp        frames::ack"
    "net-N     server/ws/client_connection.cpp     ClientConnection::sendFrame"
)
files=(); hops=0; prev=""; missing=0
for step in "${path[@]}"; do
    read -r thread file fn <<<"$step"
    if [[ $thread == branch ]]; then
        prev=$file; echo "  -- ${fn//_/ }"; continue
    fi
    if [[ ! -f $file ]] || ! grep -q -- "$fn" "$file"; then
        echo "  MISSING: $fn in $file"; missing=$((missing + 1))
    fi
    [[ -n $prev && $thread != "$prev" ]] && hops=$((hops + 1))
    prev=$thread
    files+=("$file")
    printf '  %-9s %-40s %s\n' "$thread" "$file" "$fn"
done
echo "files touched: $(printf '%s\n' "${files[@]}" | sort -u | wc -l)"
echo "thread hops (net-N -> writer -> delivery -> net-M, and the ack back to net-N): $hops"
(( missing == 0 )) || { echo "the path above is stale: $missing step(s) not found"; exit 1; }
