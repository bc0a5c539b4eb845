DELETE FROM sessions WHERE user_id = $1
RETURNING token_hash
