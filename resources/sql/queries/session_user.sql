SELECT u.id, u.username, u.display_name, u.role, u.created_at, u.banned_at, s.expires_at
FROM sessions s
JOIN users u ON u.id = s.user_id
WHERE s.token_hash = $1
