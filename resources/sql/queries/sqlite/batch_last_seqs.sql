SELECT id, last_seq, user_a, user_b FROM conversations WHERE id = $1
