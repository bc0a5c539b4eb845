INSERT INTO profiles (user_id, updated_at) VALUES ($1, $2)
