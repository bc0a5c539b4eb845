-- Webhook notifications (issue 11): per recipient, the newest message id a
-- delivered notification covered, so that a retried or repeated job never
-- announces the same messages twice; and a short lease, taken before the
-- POST and released after it, so that two runs of one job at once (the
-- queue is at-least-once) do not both send. Ids are handed out in commit
-- order, so one watermark per recipient covers every conversation.
CREATE TABLE notification_marks (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    notified_up_to BIGINT NOT NULL DEFAULT 0,
    notified_at BIGINT NOT NULL DEFAULT 0,
    lease_token TEXT,
    lease_until BIGINT NOT NULL DEFAULT 0
);
