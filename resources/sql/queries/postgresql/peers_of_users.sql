-- The presence peers of each of the users $1: see peers_of_user.sql.
SELECT p.user_id, p.peer_id
FROM participants p
JOIN conversations c ON c.id = p.conversation_id
JOIN participants q ON q.conversation_id = p.conversation_id AND q.user_id = p.peer_id
WHERE p.user_id = ANY ($1::bigint[])
  AND (c.last_message_id > 0 OR (p.opened_at IS NOT NULL AND q.opened_at IS NOT NULL))
