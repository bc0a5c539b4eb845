-- Retention: the last id of the next $4 messages to delete from id $1 on
-- (below $2, older than $3, not reported); NULL when there are none. A
-- reported message, kept, is skipped here rather than spending a batch.
SELECT MAX(w.id) FROM (
    SELECT m.id FROM messages m
    WHERE m.id >= $1 AND m.id < $2 AND m.created_at < $3
      AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.message_id = m.id)
    ORDER BY m.id LIMIT $4) w
