UPDATE participants SET last_read_message_id = $3, last_read_seq = $4
WHERE conversation_id = $1 AND user_id = $2 AND last_read_seq < $4
