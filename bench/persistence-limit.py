#!/usr/bin/env python3
"""Writes the SQL of bench/persistence-limit.sh: message-like rows in batches.

Each batch is one transaction. Shapes:
  insert  INSERT INTO messages ... SELECT * FROM unnest(<7 array literals>)
          in autocommit: the raw batched insert.
  commit  the daemon's group commit (server/storage/message_batch.cpp) as two
          round trips: BEGIN; lock the id counter; look up the batch's
          (sender, client_msg_id) pairs; read the conversations' last seq --
          then INSERT ... unnest(...); UPDATE conversations FROM unnest(...);
          UPDATE id_counters; COMMIT.
Rows go round-robin over CONVERSATIONS conversations (users 2c-1 and 2c), the
senders alternate, client_msg_ids look like the generator's, bodies are
BODY_SIZE bytes.
"""
import argparse
import sys


def array(values, quote):
    if quote:
        # Array literal elements in double quotes; the SQL literal in single.
        items = ('"' + v.replace('\\', '\\\\').replace('"', '\\"') + '"' for v in values)
    else:
        items = (str(v) for v in values)
    return "'{" + ",".join(items).replace("'", "''") + "}'"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--shape", choices=["insert", "commit"], required=True)
    p.add_argument("--batch", type=int, required=True)
    p.add_argument("--rows", type=int, required=True)
    p.add_argument("--conversations", type=int, default=1000)
    p.add_argument("--first-conversation", type=int, default=1)
    p.add_argument("--first-id", type=int, default=1)
    p.add_argument("--body-size", type=int, default=32)
    p.add_argument("--tag", default="pl")
    a = p.parse_args()

    out = sys.stdout
    seqs = {}
    next_id = a.first_id
    now_ms = 1_790_000_000_000
    body_base = ("message body for the persistence limit " * 200)
    row = 0
    while row < a.rows:
        n = min(a.batch, a.rows - row)
        ids, convs, seq, senders, cmids, bodies, times = [], [], [], [], [], [], []
        advance = {}
        for k in range(n):
            i = row + k
            c = a.first_conversation + (i % a.conversations)
            s = seqs.get(c, 0) + 1
            seqs[c] = s
            sender = 2 * c - 1 if s % 2 else 2 * c
            ids.append(next_id)
            convs.append(c)
            seq.append(s)
            senders.append(sender)
            cmids.append(f"{a.tag}.{sender}.{s}.{now_ms * 1_000_000 + i * 50_000}")
            bodies.append((f"{i} " + body_base)[: a.body_size])
            times.append(now_ms)
            advance[c] = (s, next_id)
            next_id += 1
        insert = (
            "INSERT INTO messages (id, conversation_id, seq, sender_id, client_msg_id, body, created_at) "
            "SELECT * FROM unnest("
            f"{array(ids, False)}::bigint[], {array(convs, False)}::bigint[], {array(seq, False)}::bigint[], "
            f"{array(senders, False)}::bigint[], {array(cmids, True)}::text[], {array(bodies, True)}::text[], "
            f"{array(times, False)}::bigint[])"
        )
        if a.shape == "insert":
            out.write(insert + ";\n")
        else:
            cs = sorted(advance)
            out.write(
                "BEGIN \\; SELECT value FROM id_counters WHERE name = 'message' FOR UPDATE \\; "
                "SELECT m.id FROM unnest("
                f"{array(senders, False)}::bigint[], {array(cmids, True)}::text[]) AS k (sender_id, client_msg_id) "
                "CROSS JOIN LATERAL (SELECT * FROM messages x WHERE x.sender_id = k.sender_id "
                "AND x.client_msg_id = k.client_msg_id) AS m \\; "
                f"SELECT id, last_seq, user_a, user_b FROM conversations WHERE id = ANY ({array(cs, False)}::bigint[]);\n"
            )
            out.write(
                insert + " \\; "
                "UPDATE conversations c SET last_seq = v.seq, last_message_id = v.mid, "
                f"activity_at = {now_ms} FROM unnest({array(cs, False)}::bigint[], "
                f"{array([advance[c][0] for c in cs], False)}::bigint[], "
                f"{array([advance[c][1] for c in cs], False)}::bigint[]) AS v (id, seq, mid) WHERE c.id = v.id \\; "
                f"UPDATE id_counters SET value = {next_id - 1} WHERE name = 'message' \\; COMMIT;\n"
            )
        row += n
        now_ms += 1


if __name__ == "__main__":
    main()
