SELECT ord, duplicate, id, conversation_id, seq, sender_id, client_msg_id, body, created_at,
       deleted_at
FROM sanayicin_store_messages($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5)
