-- Moderation (issue 10): who resolved a report, how, and a note; the log
-- names the report an action came from; users get a folded search key for
-- the console's user search (GET /admin/users), filled by the daemon (the
-- Turkish-aware fold is the directory's, foldForSearch) at registration and,
-- for users without one, by the migrator after the migrations at every start.
ALTER TABLE reports ADD COLUMN resolved_by BIGINT REFERENCES users (id);
ALTER TABLE reports ADD COLUMN resolution TEXT CHECK (resolution IN ('dismissed', 'actioned'));
ALTER TABLE reports ADD COLUMN note TEXT NOT NULL DEFAULT '';
-- Nothing resolved a report before this version; should a row say so, it
-- counts as dismissed (nobody is named).
UPDATE reports SET resolution = 'dismissed' WHERE resolved_at IS NOT NULL;
CREATE INDEX reports_open ON reports (id) WHERE resolved_at IS NULL;

ALTER TABLE moderation_log ADD COLUMN report_id BIGINT;
CREATE INDEX moderation_log_by_actor ON moderation_log (actor_id, id);
CREATE INDEX moderation_log_by_target ON moderation_log (target_user_id, id);

ALTER TABLE users ADD COLUMN search_key TEXT;

-- The migrator looks for users without a key at every start.
CREATE INDEX users_without_search_key ON users (id) WHERE search_key IS NULL;
