-- Per conversation of the recipient: messages from the peer that are
-- neither read nor covered by an earlier notification ($2), with who wrote
-- them; newest first, at most $3 conversations. A banned recipient gets
-- none.
SELECT p.conversation_id, p.peer_id, u.display_name, count(*), min(m.id), max(m.id),
       max(m.created_at)
FROM participants p
JOIN messages m ON m.conversation_id = p.conversation_id
JOIN users u ON u.id = p.peer_id
JOIN users r ON r.id = p.user_id AND r.banned_at IS NULL
WHERE p.user_id = $1 AND p.unread_count > 0
  AND m.id > p.last_read_message_id AND m.id > $2
  AND m.sender_id <> $1 AND m.deleted_at IS NULL
GROUP BY p.conversation_id, p.peer_id, u.display_name
ORDER BY max(m.id) DESC
LIMIT $3
