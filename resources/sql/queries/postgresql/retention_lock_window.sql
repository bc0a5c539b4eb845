-- Retention, after messages_lock_writers: locks the window's messages
-- ([$1, $2), older than $3), then the participants rows of their
-- conversations that have something unread, in that order (a moderator's
-- delete takes a message, then a participants row: the same order, so the
-- two cannot deadlock). Locked, the messages take no new report and the
-- rows no read cursor until the commit, so messages_delete_old counts from
-- values that stay true.
SELECT count(*) FROM (
    SELECT m.id FROM messages m
    WHERE m.id >= $1 AND m.id < $2 AND m.created_at < $3
    ORDER BY m.id FOR UPDATE) locked
