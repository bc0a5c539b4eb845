-- Per-table autovacuum and fill factor for Sanayicin's busiest tables.
-- Idempotent; run once after the first `sanayicind migrate`, as the tables'
-- owner, directly on PostgreSQL (not through pgBouncer):
--   psql -h /var/run/postgresql -U sanayicin -d sanayicin -v ON_ERROR_STOP=1 -f tables.sql
-- Storage parameters only: no data changes, no rewrite, brief locks.

-- messages: append-mostly. Vacuum after every million inserted rows whatever
-- the table's size (not after 5 % of it, which for a large table is rarely),
-- so the visibility map stays current and freezing goes in small steps.
ALTER TABLE messages SET (
    autovacuum_vacuum_insert_threshold = 1000000,
    autovacuum_vacuum_insert_scale_factor = 0,
    autovacuum_vacuum_threshold = 10000,
    autovacuum_vacuum_scale_factor = 0.01,
    autovacuum_analyze_threshold = 500000,
    autovacuum_analyze_scale_factor = 0
);

-- id_counters: one row updated by every group commit. Each update leaves a
-- dead version; room in the page (fillfactor) keeps updates HOT, and a low
-- threshold lets autovacuum clear the page often.
ALTER TABLE id_counters SET (
    fillfactor = 50,
    autovacuum_vacuum_threshold = 1000,
    autovacuum_vacuum_scale_factor = 0,
    autovacuum_analyze_threshold = 1000000,
    autovacuum_analyze_scale_factor = 0
);

-- participants: read cursors and activity times move with every message.
ALTER TABLE participants SET (
    fillfactor = 80,
    autovacuum_vacuum_scale_factor = 0.02,
    autovacuum_analyze_scale_factor = 0.02
);

-- conversations: last activity changes with every message.
ALTER TABLE conversations SET (
    fillfactor = 80,
    autovacuum_vacuum_scale_factor = 0.02
);
