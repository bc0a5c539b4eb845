-- Moves the cursor forward only, and recounts what is left to read.
UPDATE participants
SET last_read_message_id = $3, last_read_seq = $4,
    unread_count = (SELECT count(*) FROM messages m
                    WHERE m.conversation_id = $1 AND m.seq > $4 AND m.sender_id <> $2
                      AND m.deleted_at IS NULL)
WHERE conversation_id = $1 AND user_id = $2 AND last_read_seq < $4
