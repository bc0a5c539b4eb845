-- A conversation's last activity lives on the conversation itself: the group
-- commit then updates one row per conversation (a HOT update, no index
-- touched) instead of two participant rows and their activity index.

ALTER TABLE conversations ADD COLUMN activity_at BIGINT NOT NULL DEFAULT 0;
UPDATE conversations c
SET activity_at = GREATEST(c.created_at,
                           COALESCE((SELECT max(m.created_at) FROM messages m
                                     WHERE m.conversation_id = c.id), 0));
DROP INDEX participants_by_activity;
ALTER TABLE participants DROP COLUMN activity_at;
CREATE INDEX participants_by_user ON participants (user_id);
