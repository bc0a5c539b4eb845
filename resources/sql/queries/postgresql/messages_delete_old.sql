-- Retention: one window of ids [$1, $2), messages older than $3 only; a
-- reported message is kept (the report shows it). Returns how many went.
-- In the same statement, each participant's unread count loses the deleted
-- messages it had not read (the other one's, past its cursor, not already
-- deleted by a moderator: what read_cursor_advance counts), so the count
-- stays equal to a fresh count of what is left. Counted from the rows this
-- DELETE removed, joined to the participants by conversation (a look-up
-- per deleted row; a correlated count per participants row, which reads
-- every deleted row each time, cost up to a second a batch under load),
-- while the locks of
-- messages_lock_writers and retention_lock_* keep every value used here
-- from changing until the commit.
WITH gone AS (
    DELETE FROM messages
    WHERE id >= $1 AND id < $2 AND created_at < $3
      AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.message_id = messages.id)
    RETURNING conversation_id, seq, sender_id, deleted_at
), lowered AS (
    UPDATE participants p
    SET unread_count = GREATEST(0, p.unread_count - d.n)
    FROM (SELECT q.conversation_id, q.user_id, count(*) AS n
          FROM gone g
          JOIN participants q ON q.conversation_id = g.conversation_id
                             AND q.user_id <> g.sender_id AND g.seq > q.last_read_seq
          WHERE g.deleted_at IS NULL
          GROUP BY q.conversation_id, q.user_id) d
    WHERE p.conversation_id = d.conversation_id AND p.user_id = d.user_id
    RETURNING 1
)
SELECT count(*) FROM gone
