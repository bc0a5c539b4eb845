SELECT id, last_seq, user_a, user_b FROM conversations WHERE id = ANY ($1::bigint[])
