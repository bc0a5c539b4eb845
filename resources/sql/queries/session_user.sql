-- The user of a session, if the session is of the user's current generation
-- (a ban raises it: see migration 0006).
SELECT u.id, u.username, u.display_name, u.role, u.created_at, u.banned_at, s.expires_at
FROM sessions s
JOIN users u ON u.id = s.user_id
WHERE s.token_hash = $1 AND s.generation = u.session_generation
