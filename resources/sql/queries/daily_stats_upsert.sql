INSERT INTO daily_stats (day, messages, active_users, conversations, computed_at)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (day) DO UPDATE SET messages = excluded.messages, active_users = excluded.active_users,
    conversations = excluded.conversations, computed_at = excluded.computed_at
