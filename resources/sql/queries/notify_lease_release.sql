-- A run that sent nothing (or failed) gives its lease back.
UPDATE notification_marks
SET lease_token = NULL, lease_until = 0
WHERE user_id = $1 AND lease_token = $2
