-- The conversations of user $1 that they see (with a message, or opened by
-- them), newest activity first, with how many there are in all (the window
-- count is taken before LIMIT). Participants' names come from the daemon's
-- user cache, not from a join here. The last column tells whether the other
-- participant opened the conversation.
SELECT x.id, x.created_at, x.unread_count, x.user_a, x.user_b, x.total,
       m.id, m.conversation_id, m.seq, m.sender_id, m.client_msg_id, m.body, m.created_at,
       m.deleted_at, x.peer_opened_at
FROM (
    SELECT c.id, c.created_at, c.activity_at, c.user_a, c.user_b, c.last_message_id,
           p.unread_count, q.opened_at AS peer_opened_at, count(*) OVER () AS total
    FROM participants p
    JOIN conversations c ON c.id = p.conversation_id
    JOIN participants q ON q.conversation_id = p.conversation_id AND q.user_id = p.peer_id
    WHERE p.user_id = $1 AND (c.last_message_id > 0 OR p.opened_at IS NOT NULL)
    ORDER BY c.activity_at DESC, c.id DESC
    LIMIT $2 OFFSET $3
) AS x
LEFT JOIN messages m ON m.id = x.last_message_id
ORDER BY x.activity_at DESC, x.id DESC
