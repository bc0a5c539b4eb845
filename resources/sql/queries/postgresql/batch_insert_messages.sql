INSERT INTO messages (id, conversation_id, seq, sender_id, client_msg_id, body, created_at)
SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[],
                     $6::text[], $7::bigint[])
