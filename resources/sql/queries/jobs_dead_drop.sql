DELETE FROM jobs WHERE id = $2 AND queue = $1 AND state = 'dead'
