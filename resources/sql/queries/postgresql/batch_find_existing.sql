SELECT m.id, m.conversation_id, m.seq, m.sender_id, m.client_msg_id, m.body, m.created_at,
       m.deleted_at
FROM messages m
JOIN unnest($1::bigint[], $2::text[]) AS k (sender_id, client_msg_id)
  ON m.sender_id = k.sender_id AND m.client_msg_id = k.client_msg_id
