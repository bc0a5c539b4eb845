-- Retention (SQLite; PostgreSQL does this inside its messages_delete_old),
-- before messages_delete_old deletes the window [$1, $2) of
-- messages older than $3 (not reported): each participant's unread count
-- loses the messages of it that it had not read (the other one's, past its
-- cursor, not already deleted by a moderator: what read_cursor_advance
-- counts), so the count equals a fresh count of what is left.
UPDATE participants
SET unread_count = MAX(0, unread_count - (
        SELECT COUNT(*) FROM messages m
        WHERE m.conversation_id = participants.conversation_id
          AND m.id >= $1 AND m.id < $2 AND m.created_at < $3
          AND m.sender_id <> participants.user_id AND m.seq > participants.last_read_seq
          AND m.deleted_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.message_id = m.id)))
WHERE unread_count > 0
  AND conversation_id IN (SELECT m.conversation_id FROM messages m
                          WHERE m.id >= $1 AND m.id < $2 AND m.created_at < $3
                            AND m.deleted_at IS NULL)
