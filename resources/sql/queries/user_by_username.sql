SELECT id, username, display_name, role, created_at, banned_at, password_hash
FROM users
WHERE username = $1
