-- A conversation's last activity lives on the conversation itself: the group
-- commit then updates one row per conversation instead of two participant
-- rows and their activity index.

ALTER TABLE conversations ADD COLUMN activity_at BIGINT NOT NULL DEFAULT 0;
UPDATE conversations
SET activity_at = MAX(created_at,
                      COALESCE((SELECT MAX(m.created_at) FROM messages m
                                WHERE m.conversation_id = conversations.id), 0));
DROP INDEX participants_by_activity;
ALTER TABLE participants DROP COLUMN activity_at;
CREATE INDEX participants_by_user ON participants (user_id);
