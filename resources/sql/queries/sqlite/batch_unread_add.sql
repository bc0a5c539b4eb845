-- New messages from $2 in conversation $1: $3 more unread for the other one.
UPDATE participants SET unread_count = unread_count + $3
WHERE conversation_id = $1 AND user_id <> $2
