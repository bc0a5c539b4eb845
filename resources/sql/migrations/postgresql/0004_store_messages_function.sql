-- Version 4 created the group commit as a server-side function,
-- sanayicin_store_messages(). Stored functions now live in
-- resources/sql/functions/postgresql/ and are applied after the migrations
-- (resources/sql/migrations/README.md says why this shipped file could
-- change): a database migrated before keeps its function until that step
-- replaces it, a new one gets it from there. Nothing to do here.

SELECT 1;
