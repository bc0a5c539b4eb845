-- Retention: one window of ids [$1, $2), messages older than $3 only; a
-- reported message is kept (the report shows it). Runs right after
-- retention_unread_lower on the same window, in the same transaction
-- (BEGIN IMMEDIATE: nothing changes the window in between).
DELETE FROM messages
WHERE id >= $1 AND id < $2 AND created_at < $3
  AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.message_id = messages.id)
