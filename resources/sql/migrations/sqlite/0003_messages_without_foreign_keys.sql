-- PostgreSQL drops the foreign keys of messages here (see its 0003). SQLite
-- cannot drop a constraint without rebuilding the table, and the embedded
-- store is not where the writer's throughput matters, so its keys stay;
-- the daemon checks membership before every insert on both.

SELECT 1;
