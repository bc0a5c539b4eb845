INSERT INTO moderation_log (actor_id, action, target_user_id, target_message_id, reason, created_at,
                            report_id)
VALUES ($1, $2, $3, $4, $5, $6, $7)
RETURNING id
