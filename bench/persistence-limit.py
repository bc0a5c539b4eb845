#!/usr/bin/env python3
"""Writes the SQL of bench/persistence-limit.sh: message-like rows in batches.

Each batch is one transaction. Shapes:
  insert  INSERT INTO messages ... SELECT * FROM unnest(<7 array literals>)
          in autocommit: the raw batched insert.
  commit  the daemon's group commit as the daemon sends it
          (server/storage/message_batch.cpp): BEGIN, its statement
          resources/sql/queries/postgresql/batch_store.sql (the server-side
          function sanayicin_store_messages: counter lock, membership check,
          duplicate probe, ids and seqs, insert, conversations, counter) with
          the five arrays written in, and COMMIT, in one round trip.
Rows go round-robin over CONVERSATIONS conversations (users 2c-1 and 2c), the
senders alternate, client_msg_ids look like the generator's, bodies are
BODY_SIZE bytes.
"""
import argparse
import os
import re
import sys

STORE_SQL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "sql", "queries",
                         "postgresql", "batch_store.sql")


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
    if a.shape == "commit":
        # The daemon's statement, parameters $1..$5: senders, conversations,
        # client_msg_ids, bodies, the batch's time.
        with open(STORE_SQL, encoding="utf-8") as f:
            store_sql = " ".join(l for l in f.read().split("\n") if not l.lstrip().startswith("--"))
        store_sql = " ".join(store_sql.split())
        if sorted(set(re.findall(r"\$([0-9]+)", store_sql))) != ["1", "2", "3", "4", "5"]:
            sys.exit(f"{STORE_SQL} no longer takes $1..$5 (senders, conversations, client ids, bodies, now): "
                     "update bench/persistence-limit.py")
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
            params = [f"{array(senders, False)}", f"{array(convs, False)}", f"{array(cmids, True)}",
                      f"{array(bodies, True)}", str(now_ms)]
            stmt = re.sub(r"\$([0-9]+)", lambda m: params[int(m.group(1)) - 1], store_sql)
            out.write("BEGIN \\; " + stmt + " \\; COMMIT;\n")
        row += n
        now_ms += 1


if __name__ == "__main__":
    main()
