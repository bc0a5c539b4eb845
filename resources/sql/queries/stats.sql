-- Totals for the console. $1: "since" for recent messages (ms).
SELECT (SELECT count(*) FROM users WHERE role = 'customer'),
       (SELECT count(*) FROM users WHERE role = 'tradesman'),
       (SELECT count(*) FROM users WHERE role = 'admin'),
       (SELECT count(*) FROM users WHERE banned_at IS NOT NULL),
       (SELECT count(*) FROM conversations),
       (SELECT value FROM id_counters WHERE name = 'message'),
       (SELECT count(*) FROM messages WHERE created_at >= $1),
       (SELECT count(*) FROM reports WHERE resolved_at IS NULL)
