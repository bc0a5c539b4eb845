-- Which of the users in the JSON array $1 are banned.
SELECT id FROM users WHERE id IN (SELECT value FROM json_each($1)) AND banned_at IS NOT NULL
