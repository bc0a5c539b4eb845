-- One conversation as seen by participant $2.
SELECT c.id, c.created_at, p.last_read_seq,
       p.unread_count,
       m.id, m.seq, m.sender_id, m.client_msg_id, m.body, m.created_at, m.deleted_at,
       ua.id, ua.username, ua.display_name, ua.role, ua.created_at,
       ub.id, ub.username, ub.display_name, ub.role, ub.created_at
FROM participants p
JOIN conversations c ON c.id = p.conversation_id
JOIN users ua ON ua.id = c.user_a
JOIN users ub ON ub.id = c.user_b
LEFT JOIN messages m ON m.id = c.last_message_id
WHERE p.conversation_id = $1 AND p.user_id = $2
