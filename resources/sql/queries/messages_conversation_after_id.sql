-- Messages of conversation $1 with id > $2 and seq < $3, by seq.
SELECT id, conversation_id, seq, sender_id, client_msg_id, body, created_at, deleted_at
FROM messages
WHERE conversation_id = $1 AND id > $2 AND seq < $3
ORDER BY seq ASC
