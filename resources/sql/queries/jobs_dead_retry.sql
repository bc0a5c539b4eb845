UPDATE jobs SET state = 'ready', attempt = 0, run_at = $3, error = '', dead_at = NULL
WHERE id = $2 AND queue = $1 AND state = 'dead'
