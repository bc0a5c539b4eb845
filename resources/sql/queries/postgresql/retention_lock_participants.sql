-- Retention: the participants rows whose unread counts the window's delete
-- may lower (see retention_lock_window), in key order.
SELECT count(*) FROM (
    SELECT 1 FROM participants p
    WHERE p.unread_count > 0
      AND p.conversation_id IN (SELECT m.conversation_id FROM messages m
                                WHERE m.id >= $1 AND m.id < $2 AND m.created_at < $3)
    ORDER BY p.conversation_id, p.user_id FOR UPDATE OF p) locked
