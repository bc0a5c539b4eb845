-- One day's messages as ids [$1, $2): how many, by how many senders, in
-- how many conversations.
SELECT COUNT(*), COUNT(DISTINCT sender_id), COUNT(DISTINCT conversation_id)
FROM messages WHERE id >= $1 AND id < $2
