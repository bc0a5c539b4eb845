-- The oldest messages of conversation $1 with $2 < id < $3, oldest first.
SELECT id, conversation_id, seq, sender_id, client_msg_id, body, created_at, deleted_at
FROM messages
WHERE conversation_id = $1 AND id > $2 AND id < $3
ORDER BY id ASC
LIMIT $4
