INSERT INTO messages (id, conversation_id, seq, sender_id, client_msg_id, body, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
