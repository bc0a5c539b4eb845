SELECT id, last_seq FROM conversations WHERE id = $1
