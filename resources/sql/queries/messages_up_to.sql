-- The newest messages of conversation $1 with id <= $2, newest first.
SELECT id, conversation_id, seq, sender_id, client_msg_id, body, created_at, deleted_at
FROM messages
WHERE conversation_id = $1 AND id <= $2
ORDER BY id DESC
LIMIT $3
