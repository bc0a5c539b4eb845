-- Who shares presence with user $1: the other participant of each
-- conversation that both see (it has a message, or both opened it).
SELECT p.peer_id
FROM participants p
JOIN conversations c ON c.id = p.conversation_id
JOIN participants q ON q.conversation_id = p.conversation_id AND q.user_id = p.peer_id
WHERE p.user_id = $1
  AND (c.last_message_id > 0 OR (p.opened_at IS NOT NULL AND q.opened_at IS NOT NULL))
