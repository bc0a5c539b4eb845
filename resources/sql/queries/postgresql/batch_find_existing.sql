-- One index probe per send (LATERAL keeps the planner from scanning the
-- table with a hash join as it grows).
SELECT m.id, m.conversation_id, m.seq, m.sender_id, m.client_msg_id, m.body, m.created_at,
       m.deleted_at
FROM unnest($1::bigint[], $2::text[]) AS k (sender_id, client_msg_id)
CROSS JOIN LATERAL (
    SELECT * FROM messages x
    WHERE x.sender_id = k.sender_id AND x.client_msg_id = k.client_msg_id
) AS m
