-- The newest message id visible to each of the users $1 (users without one
-- are absent): one query for many hellos.
SELECT p.user_id, MAX(c.last_message_id)
FROM participants p
JOIN conversations c ON c.id = p.conversation_id
WHERE p.user_id = ANY ($1::bigint[])
GROUP BY p.user_id
