UPDATE users SET banned_at = $2, ban_reason = $3 WHERE id = $1
