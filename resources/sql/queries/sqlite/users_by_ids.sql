SELECT id, username, display_name, role, created_at
FROM users
WHERE id IN (SELECT value FROM json_each($1))
