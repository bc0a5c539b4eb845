SELECT id FROM conversations WHERE user_a = $1 AND user_b = $2
