SELECT id, conversation_id, seq, sender_id, client_msg_id, body, created_at, deleted_at
FROM messages
WHERE sender_id = $1 AND client_msg_id = $2
