-- How long the look-up of a lost commit waits for the counter's lock
-- (lost_commit_barrier.sql) before this attempt gives up; the writer tries
-- again until its resolve deadline. $1 in milliseconds, as text. Local to
-- the look-up's transaction.
SELECT set_config('lock_timeout', $1 || 'ms', true)
