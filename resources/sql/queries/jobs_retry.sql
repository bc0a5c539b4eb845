UPDATE jobs SET run_at = $3, error = $4, lease_owner = NULL, lease_until = 0
WHERE id = $1 AND lease_owner = $2 AND state = 'ready'
