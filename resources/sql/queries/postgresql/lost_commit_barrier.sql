-- The look-up of a lost commit's sends first queues for the lock every
-- batch takes (sanayicin_store_messages(): the counter row FOR UPDATE),
-- so that the old connection's transaction has ended, committed or not,
-- before the look-up reads: one still waiting for this lock behind another
-- writer, or committed but waiting for a synchronous standby (it keeps its
-- locks until then), would otherwise commit after the look-up found
-- nothing. Through pgBouncer too (the old transaction's backend is not
-- ours to name there). Read committed: the look-up's next statements see
-- what it committed.
SELECT value FROM id_counters WHERE name = 'message' FOR UPDATE
