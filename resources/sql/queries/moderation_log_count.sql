-- The total of moderation_log_list.sql.
SELECT count(*)
FROM moderation_log l
WHERE (CAST($1 AS BIGINT) = 0 OR l.actor_id = $1)
  AND (CAST($2 AS BIGINT) = 0 OR l.target_user_id = $2)
  AND ($3 = '' OR l.action = $3)
