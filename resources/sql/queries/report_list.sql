-- Reports, newest first, with the message and the reporter.
SELECT r.id, r.reason, r.created_at, r.resolved_at,
       m.id, m.conversation_id, m.seq, m.sender_id, m.client_msg_id, m.body, m.created_at,
       m.deleted_at,
       u.id, u.username, u.display_name, u.role, u.created_at
FROM reports r
JOIN messages m ON m.id = r.message_id
JOIN users u ON u.id = r.reporter_id
ORDER BY r.id DESC
LIMIT $1 OFFSET $2
