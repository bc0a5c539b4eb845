-- The peers of each of the users $1 (who shares a conversation with whom).
SELECT user_id, peer_id FROM participants WHERE user_id = ANY ($1::bigint[])
