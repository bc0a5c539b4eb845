UPDATE jobs SET lease_owner = NULL, lease_until = 0, attempt = attempt - 1
WHERE id = $1 AND lease_owner = $2 AND state = 'ready'
