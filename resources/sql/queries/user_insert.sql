INSERT INTO users (username, display_name, role, password_hash, created_at)
VALUES ($1, $2, $3, $4, $5)
RETURNING id
