-- The first message from id $1 on (retention and the daily roll-up find a
-- time's place among the ids by bisection on the primary key).
SELECT id, created_at FROM messages WHERE id >= $1 ORDER BY id LIMIT 1
