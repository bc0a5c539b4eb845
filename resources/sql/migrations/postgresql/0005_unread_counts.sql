-- unread_count lives on the participant: the conversation list reads it
-- instead of counting messages per conversation (which cost about a
-- millisecond of PostgreSQL time per list of 50). The group commit raises it
-- for the other participant; a read recounts it; a moderator's delete of an
-- unread message lowers it.

ALTER TABLE participants ADD COLUMN unread_count BIGINT NOT NULL DEFAULT 0;
UPDATE participants p
SET unread_count = (SELECT count(*) FROM messages m
                    WHERE m.conversation_id = p.conversation_id AND m.seq > p.last_read_seq
                      AND m.sender_id <> p.user_id AND m.deleted_at IS NULL);

-- The group commit raises it: resources/sql/functions/postgresql/
-- store_messages.sql (this version once replaced the function here; see
-- resources/sql/migrations/README.md).
