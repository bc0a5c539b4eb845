UPDATE jobs SET lease_until = $3 WHERE id = $1 AND lease_owner = $2 AND state = 'ready'
