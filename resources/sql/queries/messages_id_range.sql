-- Messages with $1 < id < $2, with their conversation's members: fills a
-- hole in what this instance has delivered.
SELECT m.id, m.conversation_id, m.seq, m.sender_id, m.client_msg_id, m.body, m.created_at,
       m.deleted_at, c.user_a, c.user_b
FROM messages m
JOIN conversations c ON c.id = m.conversation_id
WHERE m.id > $1 AND m.id < $2
ORDER BY m.id ASC
LIMIT $3
