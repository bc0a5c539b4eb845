-- $1 conversation ids, $2 their new last seq, $3 their new last message id,
-- $4 the batch's time (participants' activity).
WITH v AS (
    SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS t (id, seq, mid)
), c AS (
    UPDATE conversations c SET last_seq = v.seq, last_message_id = v.mid
    FROM v WHERE c.id = v.id
)
UPDATE participants p SET activity_at = $4
FROM v WHERE p.conversation_id = v.id
