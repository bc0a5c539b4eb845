-- The group commit as one server-side function: the counter lock, the
-- membership check, deduplication, id and seq assignment, the insert, the
-- conversations' advance and the other participant's unread count all run
-- inside PostgreSQL, so the lock that orders every writer of every instance
-- is held for the function's run and the commit, not across client round
-- trips. The daemon sends BEGIN, one call and COMMIT in one flight (libpq
-- pipeline mode; server/storage/message_batch.cpp). SQLite's copy of these
-- steps is storeSqlite() there; tests/storage/data/group_commit_cases.json
-- binds the two.
--
-- Returns one row per input (ord = its 1-based position): the stored
-- message, with duplicate = true when it was stored before (or earlier in
-- the same call) under the same (sender, client_msg_id).
--
-- Applied after the migrations whenever this file changes (see
-- resources/sql/functions/README.md). CREATE OR REPLACE cannot change the
-- arguments or the result columns: such a change needs a migration that
-- drops the old function first.

CREATE OR REPLACE FUNCTION sanayicin_store_messages(p_senders BIGINT[], p_conversations BIGINT[],
                                                    p_client_ids TEXT[], p_bodies TEXT[], p_now BIGINT)
RETURNS TABLE (ord BIGINT, duplicate BOOLEAN, id BIGINT, conversation_id BIGINT, seq BIGINT,
               sender_id BIGINT, client_msg_id TEXT, body TEXT, created_at BIGINT,
               deleted_at BIGINT)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    base BIGINT;
BEGIN
    -- Held until commit: serialises message writers so ids follow commit order.
    SELECT c.value INTO base FROM id_counters c WHERE c.name = 'message' FOR UPDATE;

    IF EXISTS (
        SELECT 1
        FROM unnest(p_senders, p_conversations) AS i (sender, conv)
        LEFT JOIN conversations c ON c.id = i.conv
        WHERE c.id IS NULL OR i.sender NOT IN (c.user_a, c.user_b)
    ) THEN
        RAISE EXCEPTION 'a sender is not a member of the conversation';
    END IF;

    RETURN QUERY
    WITH input AS (
        SELECT i.sender, i.conv, i.cmid, i.body, i.ord
        FROM unnest(p_senders, p_conversations, p_client_ids, p_bodies)
             WITH ORDINALITY AS i (sender, conv, cmid, body, ord)
    ), existing AS (
        SELECT i.ord, m.*
        FROM input i
        CROSS JOIN LATERAL (
            SELECT * FROM messages x
            WHERE x.sender_id = i.sender AND x.client_msg_id = i.cmid
        ) AS m
    ), firsts AS (
        -- The first send of each new (sender, client_msg_id) in this call.
        SELECT DISTINCT ON (i.sender, i.cmid) i.*
        FROM input i
        WHERE NOT EXISTS (SELECT 1 FROM existing e WHERE e.ord = i.ord)
        ORDER BY i.sender, i.cmid, i.ord
    ), numbered AS (
        SELECT f.*,
               base + row_number() OVER (ORDER BY f.ord) AS new_id,
               c.last_seq + row_number() OVER (PARTITION BY f.conv ORDER BY f.ord) AS new_seq
        FROM firsts f
        JOIN conversations c ON c.id = f.conv
    ), ins AS (
        INSERT INTO messages (id, conversation_id, seq, sender_id, client_msg_id, body, created_at)
        SELECT n.new_id, n.conv, n.new_seq, n.sender, n.cmid, n.body, p_now FROM numbered n
        RETURNING 1
    ), advanced AS (
        UPDATE conversations c
        SET last_seq = a.s, last_message_id = a.m, activity_at = p_now
        FROM (SELECT n.conv, max(n.new_seq) AS s, max(n.new_id) AS m
              FROM numbered n GROUP BY n.conv) AS a
        WHERE c.id = a.conv
        RETURNING 1
    ), unread AS (
        -- The other participant has this many more messages to read.
        UPDATE participants p
        SET unread_count = p.unread_count + u.n
        FROM (SELECT n.conv, n.sender, count(*) AS n FROM numbered n GROUP BY n.conv, n.sender) AS u
        WHERE p.conversation_id = u.conv AND p.user_id <> u.sender
        RETURNING 1
    ), counted AS (
        UPDATE id_counters c
        SET value = base + (SELECT count(*) FROM numbered)
        WHERE c.name = 'message'
        RETURNING 1
    )
    SELECT i.ord,
           (e.ord IS NOT NULL OR n.ord <> i.ord),
           COALESCE(e.id, n.new_id),
           COALESCE(e.conversation_id, n.conv),
           COALESCE(e.seq, n.new_seq),
           COALESCE(e.sender_id, n.sender),
           COALESCE(e.client_msg_id, n.cmid),
           COALESCE(e.body, n.body),
           COALESCE(e.created_at, p_now),
           e.deleted_at
    FROM input i
    LEFT JOIN existing e ON e.ord = i.ord
    LEFT JOIN numbered n ON e.ord IS NULL AND n.sender = i.sender AND n.cmid = i.cmid
    ORDER BY i.ord;

    -- The data-modifying parts run even if nothing reads their results.
END;
$$;
