UPDATE participants SET activity_at = $2 WHERE conversation_id = $1
