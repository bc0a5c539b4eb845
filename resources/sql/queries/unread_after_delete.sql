-- A deleted message the other participant had not read yet: one less unread.
-- $1 conversation, $2 its sender, $3 its seq.
UPDATE participants
SET unread_count = unread_count - 1
WHERE conversation_id = $1 AND user_id <> $2 AND last_read_seq < $3 AND unread_count > 0
