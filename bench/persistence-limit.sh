#!/usr/bin/env bash
# bench/persistence-limit.sh: how many message rows per second the same
# PostgreSQL (same settings, fsync and synchronous_commit on, same schema and
# indexes: the database is made by `sanayicind migrate`) takes without the
# daemon: the persistence limit beside which throughput.sh is read.
#
# For each shape and batch size, ROWS message-like rows (32-byte bodies,
# generator-like client_msg_ids, over 1,000 conversations) are sent by psql,
# one transaction per batch, on one connection (the daemon has one writer):
#   insert  INSERT INTO messages ... SELECT * FROM unnest(7 array literals),
#           the raw batched insert;
#   commit  the daemon's whole group commit as it sends it: BEGIN, its
#           statement resources/sql/queries/postgresql/batch_store.sql (the
#           server-side function: counter lock, membership, duplicates, ids,
#           insert, conversations, counter) with the arrays written in,
#           COMMIT, in one round trip (see persistence-limit.py).
# Before each case: TRUNCATE messages, CHECKPOINT. The SQL is generated
# before the clock starts. Reported: rows/s, transactions/s, WAL bytes per row.
#
# Usage: bench/persistence-limit.sh [options]
#   --rows N          rows per case (default 200000)
#   --batches LIST    rows per transaction (default 100,1000)
#   --shapes LIST     insert, commit (default insert,commit)
#   --clients N       psql sessions at once, each its own conversations
#                     (default 1)
#   --body-size N     bytes per body (default 32)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ROWS=200000
BATCHES=100,1000
SHAPES=insert,commit
CLIENTS=1
BODY=32
while [ $# -gt 0 ]; do
    case $1 in
    --rows) ROWS=$2; shift 2 ;;
    --batches) BATCHES=$2; shift 2 ;;
    --shapes) SHAPES=$2; shift 2 ;;
    --clients) CLIENTS=$2; shift 2 ;;
    --body-size) BODY=$2; shift 2 ;;
    *) bench_unknown_opt "$@"; shift "$BENCH_SHIFT" ;;
    esac
done

bench_begin persistence-limit
bench_build
bench_start_postgres
bench_create_db sanayicin
CONVS=1000
section "seed: $((2 * CONVS * CLIENTS)) users, $((CONVS * CLIENTS)) conversations (SQL)"
seed_sql="INSERT INTO users (id, username, display_name, role, password_hash, created_at)
    SELECT g, 'pl_' || g, 'User ' || g, 'customer', 'x', 0 FROM generate_series(1, $((2 * CONVS * CLIENTS))) g;
  INSERT INTO conversations (id, user_a, user_b, created_at)
    SELECT c, 2 * c - 1, 2 * c, 0 FROM generate_series(1, $((CONVS * CLIENTS))) c;
  INSERT INTO participants (conversation_id, user_id, peer_id)
    SELECT c, 2 * c - 1, 2 * c FROM generate_series(1, $((CONVS * CLIENTS))) c
    UNION ALL SELECT c, 2 * c, 2 * c - 1 FROM generate_series(1, $((CONVS * CLIENTS))) c;
  ANALYZE users; ANALYZE conversations; ANALYZE participants;"
res "$seed_sql"
psql_app sanayicin -q -c "$seed_sql" >/dev/null || die "seeding failed"

IFS=, read -r -a shape_list <<<"$SHAPES"
IFS=, read -r -a batch_list <<<"$BATCHES"
per_client=$(((ROWS + CLIENTS - 1) / CLIENTS))
for shape in "${shape_list[@]}"; do
    for batch in "${batch_list[@]}"; do
        case=$shape-$batch
        section "case $case: $ROWS rows in transactions of $batch, $CLIENTS session(s)"
        for ((c = 0; c < CLIENTS; c++)); do
            res_cmd python3 "$BENCH_DIR/persistence-limit.py" --shape "$shape" --batch "$batch" --rows "$per_client" \
                --conversations "$CONVS" --first-conversation $((1 + c * CONVS)) --first-id $((1 + c * per_client)) \
                --body-size "$BODY" --tag "pl$c" ">$BENCH_STATE/$case-$c.sql"
            python3 "$BENCH_DIR/persistence-limit.py" --shape "$shape" --batch "$batch" --rows "$per_client" \
                --conversations "$CONVS" --first-conversation $((1 + c * CONVS)) --first-id $((1 + c * per_client)) \
                --body-size "$BODY" --tag "pl$c" >"$BENCH_STATE/$case-$c.sql"
        done
        res "SQL: $(du -ch "$BENCH_STATE/$case"-*.sql | tail -n 1 | cut -f1) in total; first 300 characters:"
        head -c 300 "$BENCH_STATE/$case-0.sql" | res
        res ""
        psql_app sanayicin -q -c "TRUNCATE messages, reports" -c "UPDATE conversations SET last_seq = 0, last_message_id = 0" \
            -c "UPDATE id_counters SET value = 0" -c "VACUUM ANALYZE messages" >/dev/null
        psql_admin sanayicin -q -c CHECKPOINT >/dev/null
        lsn0=$(psql_app sanayicin -Atc "SELECT pg_current_wal_lsn()")
        t0=$EPOCHREALTIME
        for ((c = 0; c < CLIENTS; c++)); do
            PGPASSWORD=$PG_PASSWORD bench_start_bg "$case-$c" 1800 psql -h 127.0.0.1 -p "$PG_PORT" -U sanayicin -d sanayicin \
                -X -q -v ON_ERROR_STOP=1 -o /dev/null -f "$BENCH_STATE/$case-$c.sql"
        done
        failed=0
        for ((c = 0; c < CLIENTS; c++)); do
            bench_wait_bg "$case-$c"
            [ "$BENCH_RC" -eq 0 ] || { failed=1; res "psql $c: exit code $BENCH_RC: $(tail -n 3 "$BENCH_STATE/$case-$c.err")"; }
        done
        t1=$EPOCHREALTIME
        rows=$(db_message_count)
        wal=$(psql_app sanayicin -Atc "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '$lsn0')")
        secs=$(div "$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')" 1 3)
        txs=$((CLIENTS * ((per_client + batch - 1) / batch)))
        line="$case: $(fmt "$rows") rows in $secs s = $(fmt "$(div "$rows" "$secs" 0)") rows/s ($(fmt "$(div "$txs" "$secs" 0)") transactions/s of $batch rows, $CLIENTS session(s)); WAL $(div "$wal" "$rows" 0) bytes/row"
        [ "$failed" -eq 1 ] && line+=" (FAILED, see above)"
        [ "$rows" -ne "$ROWS" ] && line+=" (expected $ROWS rows)"
        if [ "$shape" = commit ]; then
            check=$(psql_app sanayicin -Atc "SELECT (SELECT value FROM id_counters WHERE name = 'message') || '/' || (SELECT sum(last_seq) FROM conversations)")
            [ "$check" = "$ROWS/$ROWS" ] || line+=" (id counter / sum of last_seq: $check, expected $ROWS/$ROWS)"
        fi
        summary "$line"
        rm -f "$BENCH_STATE/$case"-*.sql
    done
done
summary "persistence limit on this machine: the rows/s above (the daemon's group commit is shape commit at its batch size, up to --writer-batch-max)"
bench_finish
