-- $1 conversation ids, $2 their new last seq, $3 their new last message id,
-- $4 the batch's time (their activity).
UPDATE conversations c
SET last_seq = v.seq, last_message_id = v.mid, activity_at = $4
FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS v (id, seq, mid)
WHERE c.id = v.id
