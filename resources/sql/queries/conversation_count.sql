-- How many conversations user $1 sees (see conversation_list).
SELECT count(*)
FROM participants p
JOIN conversations c ON c.id = p.conversation_id
WHERE p.user_id = $1 AND (c.last_message_id > 0 OR p.opened_at IS NOT NULL)
