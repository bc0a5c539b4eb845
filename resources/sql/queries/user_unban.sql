UPDATE users SET banned_at = NULL, ban_reason = NULL WHERE id = $1
