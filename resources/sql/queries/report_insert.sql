INSERT INTO reports (message_id, reporter_id, reason, created_at)
VALUES ($1, $2, $3, $4)
RETURNING id
