-- Users from before migration 0007, a batch at a time, for the migrator.
SELECT id, username, display_name FROM users WHERE search_key IS NULL ORDER BY id LIMIT $1
