UPDATE conversations SET last_seq = $2, last_message_id = $3, activity_at = $4 WHERE id = $1
