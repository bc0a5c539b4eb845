-- The recipient's notification lease for one run ($2: a token of this run,
-- $3: until when, $4: now); a row comes back only if the lease was free or
-- expired, with the watermark of what earlier notifications covered.
INSERT INTO notification_marks (user_id, lease_token, lease_until)
VALUES ($1, $2, $3)
ON CONFLICT (user_id) DO UPDATE
SET lease_token = excluded.lease_token, lease_until = excluded.lease_until
WHERE notification_marks.lease_until < $4
RETURNING notified_up_to
