-- PostgreSQL gets a server-side function for the group commit here (see its
-- 0004). SQLite has no stored functions and needs none: the store is in the
-- daemon's own process, so round trips cost nothing; the same steps run as
-- single statements under BEGIN IMMEDIATE.

SELECT 1;
