-- $4: when this participant opened the conversation (its creator), or NULL.
INSERT INTO participants (conversation_id, user_id, peer_id, opened_at)
VALUES ($1, $2, $3, $4)
