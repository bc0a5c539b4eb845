-- The conversations of user $1 with messages after id $2, and their newest.
SELECT c.id, c.last_message_id
FROM participants p
JOIN conversations c ON c.id = p.conversation_id
WHERE p.user_id = $1 AND c.last_message_id > $2
