-- Which of the token hashes in the JSON array $1 still work at time $2 (see
-- the PostgreSQL variant).
SELECT s.token_hash
FROM sessions s
JOIN users u ON u.id = s.user_id
WHERE s.token_hash IN (SELECT value FROM json_each($1)) AND s.generation = u.session_generation
  AND u.banned_at IS NULL AND s.expires_at > $2
