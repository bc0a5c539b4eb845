INSERT INTO conversations (user_a, user_b, created_at, activity_at)
VALUES ($1, $2, $3, $3)
ON CONFLICT (user_a, user_b) DO NOTHING
RETURNING id
