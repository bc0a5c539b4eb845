SELECT id, last_seq FROM conversations WHERE id = ANY ($1::bigint[])
