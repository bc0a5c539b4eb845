SELECT (SELECT COUNT(*) FROM jobs WHERE queue = $1 AND state = 'ready' AND lease_until <= $2),
       (SELECT COUNT(*) FROM jobs WHERE queue = $1 AND state = 'ready' AND lease_until > $2),
       (SELECT MIN(run_at) FROM jobs WHERE queue = $1 AND state = 'ready' AND run_at <= $2),
       (SELECT COUNT(*) FROM jobs WHERE queue = $1 AND state = 'dead')
