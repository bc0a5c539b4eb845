SELECT id, username, display_name, role, created_at, banned_at
FROM users
WHERE id = $1
