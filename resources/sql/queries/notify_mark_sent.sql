-- After a 2xx: the watermark moves forward only, and the run's lease (if it
-- still holds it) is released.
UPDATE notification_marks
SET notified_up_to = CASE WHEN notified_up_to > $2 THEN notified_up_to ELSE $2 END,
    notified_at = $3,
    lease_token = CASE WHEN lease_token = $4 THEN NULL ELSE lease_token END,
    lease_until = CASE WHEN lease_token = $4 THEN 0 ELSE lease_until END
WHERE user_id = $1
