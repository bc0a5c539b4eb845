INSERT INTO participants (conversation_id, user_id, peer_id, activity_at)
VALUES ($1, $2, $3, $4)
