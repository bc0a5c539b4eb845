-- The total of admin_user_search.sql.
SELECT count(*)
FROM users
WHERE ($1 = '' OR search_key LIKE $1 ESCAPE '\')
  AND ($2 = '' OR role = $2)
  AND ($3 = '' OR ($3 = 'true' AND banned_at IS NOT NULL) OR ($3 = 'false' AND banned_at IS NULL))
