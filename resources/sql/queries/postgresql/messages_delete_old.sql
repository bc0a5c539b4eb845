-- Retention: one window of ids [$1, $2), messages older than $3 only; a
-- reported message is kept (the report shows it). Returns how many went.
-- In the same statement, each participant's unread count loses the deleted
-- messages it had not read (the other one's, past its cursor, not already
-- deleted by a moderator: what read_cursor_advance counts), so the count
-- always equals a fresh count of what is left. It is counted from the
-- rows this DELETE removed (not a second look at the table, which a report
-- made between two statements would change), and relative to the row's
-- newest version: a read cursor that moved meanwhile (PostgreSQL
-- re-evaluates the SET for it after waiting) and a new message committed
-- first keep their effect.
WITH gone AS (
    DELETE FROM messages
    WHERE id >= $1 AND id < $2 AND created_at < $3
      AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.message_id = messages.id)
    RETURNING conversation_id, seq, sender_id, deleted_at
), lowered AS (
    UPDATE participants p
    SET unread_count = GREATEST(0, p.unread_count - (
            SELECT count(*) FROM gone g
            WHERE g.conversation_id = p.conversation_id AND g.sender_id <> p.user_id
              AND g.seq > p.last_read_seq AND g.deleted_at IS NULL))
    WHERE p.conversation_id IN (SELECT g.conversation_id FROM gone g WHERE g.deleted_at IS NULL)
      AND p.unread_count > 0
    RETURNING 1
)
SELECT count(*) FROM gone
