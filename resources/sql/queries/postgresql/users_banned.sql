-- Which of the users $1 are banned.
SELECT id FROM users WHERE id = ANY ($1::bigint[]) AND banned_at IS NOT NULL
