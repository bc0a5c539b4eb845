SELECT id, type, attempt, error, dead_at FROM jobs
WHERE queue = $1 AND state = 'dead' ORDER BY id LIMIT $2
