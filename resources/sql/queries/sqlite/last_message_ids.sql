-- The newest message id visible to each of the users in the JSON array $1.
SELECT p.user_id, MAX(c.last_message_id)
FROM participants p
JOIN conversations c ON c.id = p.conversation_id
WHERE p.user_id IN (SELECT value FROM json_each($1))
GROUP BY p.user_id
