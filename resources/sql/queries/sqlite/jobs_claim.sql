UPDATE jobs SET lease_owner = $2, lease_until = $4, attempt = attempt + 1, dedupe_key = NULL
WHERE id IN (SELECT id FROM jobs
             WHERE queue = $1 AND state = 'ready' AND run_at <= $3 AND lease_until <= $3
             ORDER BY run_at, id LIMIT $5)
RETURNING id, type, payload, attempt, enqueued_at
