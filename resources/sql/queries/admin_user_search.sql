-- The console's user search. $1: LIKE pattern on search_key ('' = any);
-- $2 role ('' = any); $3 'true', 'false' or '' for banned.
SELECT id, username, display_name, role, created_at, banned_at, ban_reason
FROM users
WHERE ($1 = '' OR search_key LIKE $1 ESCAPE '\')
  AND ($2 = '' OR role = $2)
  AND ($3 = '' OR ($3 = 'true' AND banned_at IS NOT NULL) OR ($3 = 'false' AND banned_at IS NULL))
ORDER BY id
LIMIT $4 OFFSET $5
