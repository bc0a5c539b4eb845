-- One conversation as seen by participant $2 (same columns as
-- conversation_list): only once it has a message or $2 opened it. The last
-- column tells whether the other participant opened it.
SELECT c.id, c.created_at, p.unread_count, c.user_a, c.user_b, 1,
       m.id, m.conversation_id, m.seq, m.sender_id, m.client_msg_id, m.body, m.created_at,
       m.deleted_at, q.opened_at
FROM participants p
JOIN conversations c ON c.id = p.conversation_id
JOIN participants q ON q.conversation_id = p.conversation_id AND q.user_id = p.peer_id
LEFT JOIN messages m ON m.id = c.last_message_id
WHERE p.conversation_id = $1 AND p.user_id = $2
  AND (c.last_message_id > 0 OR p.opened_at IS NOT NULL)
