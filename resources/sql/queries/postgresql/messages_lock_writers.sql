-- Retention: the message writers' lock (sanayicin_store_messages takes it
-- first), held to the commit. With it a retention batch and a group commit
-- never hold participants rows at once, so they cannot deadlock over them
-- (each updates several, in no fixed order); a new message waits for the
-- batch's commit and then adds to the lowered count.
SELECT value FROM id_counters WHERE name = 'message' FOR UPDATE
