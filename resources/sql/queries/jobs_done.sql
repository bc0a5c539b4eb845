DELETE FROM jobs WHERE id = $1 AND lease_owner = $2 AND state = 'ready'
