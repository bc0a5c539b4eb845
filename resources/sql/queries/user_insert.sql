-- $6: the folded search key (username and display name, foldForSearch).
INSERT INTO users (username, display_name, role, password_hash, created_at, search_key)
VALUES ($1, $2, $3, $4, $5, $6)
RETURNING id
