INSERT INTO jobs (queue, type, payload, dedupe_key, run_at, enqueued_at)
VALUES ($1, $2, $3, NULLIF($4, ''), $5, $6)
ON CONFLICT DO NOTHING
RETURNING id
