INSERT INTO participants (conversation_id, user_id, peer_id)
VALUES ($1, $2, $3)
