-- A new session for user $2, only while the user is not banned, of the
-- user's current generation, in one statement: a login whose password check
-- overlapped a ban inserts nothing (or a session the ban's generation has
-- already outdated).
INSERT INTO sessions (token_hash, user_id, created_at, expires_at, generation)
SELECT $1, u.id, $3, $4, u.session_generation
FROM users u
WHERE u.id = $2 AND u.banned_at IS NULL
