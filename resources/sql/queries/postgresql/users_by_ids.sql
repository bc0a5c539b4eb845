SELECT id, username, display_name, role, created_at FROM users WHERE id = ANY ($1::bigint[])
