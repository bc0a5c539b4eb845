-- The peers of each of the users in the JSON array $1.
SELECT user_id, peer_id FROM participants WHERE user_id IN (SELECT value FROM json_each($1))
