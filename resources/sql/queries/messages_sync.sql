-- Every message after id $2 in the conversations of user $1, by id.
SELECT m.id, m.conversation_id, m.seq, m.sender_id, m.client_msg_id, m.body, m.created_at,
       m.deleted_at
FROM messages m
WHERE m.conversation_id IN (SELECT conversation_id FROM participants WHERE user_id = $1)
  AND m.id > $2
ORDER BY m.id ASC
LIMIT $3
