-- unread_count lives on the participant (see the PostgreSQL 0005): the
-- group commit raises it for the other participant, a read recounts it, a
-- moderator's delete of an unread message lowers it.

ALTER TABLE participants ADD COLUMN unread_count BIGINT NOT NULL DEFAULT 0;
UPDATE participants
SET unread_count = (SELECT COUNT(*) FROM messages m
                    WHERE m.conversation_id = participants.conversation_id
                      AND m.seq > participants.last_read_seq
                      AND m.sender_id <> participants.user_id AND m.deleted_at IS NULL);
