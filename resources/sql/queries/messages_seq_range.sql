-- Messages of conversation $1 with $2 < seq <= $3: fills a delivery gap.
SELECT id, conversation_id, seq, sender_id, client_msg_id, body, created_at, deleted_at
FROM messages
WHERE conversation_id = $1 AND seq > $2 AND seq <= $3
ORDER BY seq ASC
