UPDATE users SET search_key = $2 WHERE id = $1
