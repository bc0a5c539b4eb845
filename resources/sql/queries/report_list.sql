-- Reports, newest first, with the message, the reporter and the resolver.
-- $3: 'open', 'resolved' or 'all'; $4: one report's id (0: any).
-- Columns: readReport in moderation_store.cpp.
SELECT r.id, r.reason, r.created_at, r.resolved_at,
       m.id, m.conversation_id, m.seq, m.sender_id, m.client_msg_id, m.body, m.created_at,
       m.deleted_at,
       u.id, u.username, u.display_name, u.role, u.created_at,
       r.resolution, r.note,
       v.id, v.username, v.display_name, v.role, v.created_at
FROM reports r
JOIN messages m ON m.id = r.message_id
JOIN users u ON u.id = r.reporter_id
LEFT JOIN users v ON v.id = r.resolved_by
WHERE ($3 = 'all' OR ($3 = 'open' AND r.resolved_at IS NULL)
       OR ($3 = 'resolved' AND r.resolved_at IS NOT NULL))
  AND (CAST($4 AS BIGINT) = 0 OR r.id = $4)
ORDER BY r.id DESC
LIMIT $1 OFFSET $2
