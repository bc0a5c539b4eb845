SELECT COALESCE(MAX(c.last_message_id), 0)
FROM participants p
JOIN conversations c ON c.id = p.conversation_id
WHERE p.user_id = $1
