UPDATE jobs SET state = 'dead', dead_at = $2, error = $3, attempt = attempt - 1,
                lease_owner = NULL, lease_until = 0
WHERE id = $1
