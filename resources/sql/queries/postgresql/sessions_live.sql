-- Which of the token hashes $1 still work at time $2: the session exists,
-- is of its user's current generation, unexpired, and the user not banned.
SELECT s.token_hash
FROM sessions s
JOIN users u ON u.id = s.user_id
WHERE s.token_hash = ANY ($1::text[]) AND s.generation = u.session_generation
  AND u.banned_at IS NULL AND s.expires_at > $2
