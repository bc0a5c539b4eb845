-- The moderation log, newest first. $1 actor id, $2 target user id (0 = any),
-- $3 action ('' = any), $6 one entry's id (0 = any).
SELECT l.id, l.created_at, l.action, l.target_message_id, l.report_id, l.reason,
       a.id, a.username, a.display_name, a.role, a.created_at,
       t.id, t.username, t.display_name, t.role, t.created_at
FROM moderation_log l
JOIN users a ON a.id = l.actor_id
LEFT JOIN users t ON t.id = l.target_user_id
WHERE (CAST($1 AS BIGINT) = 0 OR l.actor_id = $1)
  AND (CAST($2 AS BIGINT) = 0 OR l.target_user_id = $2)
  AND ($3 = '' OR l.action = $3)
  AND (CAST($6 AS BIGINT) = 0 OR l.id = $6)
ORDER BY l.id DESC
LIMIT $4 OFFSET $5
