-- The newest message of a conversation: checks a cached list is current.
SELECT last_message_id, last_seq FROM conversations WHERE id = $1
