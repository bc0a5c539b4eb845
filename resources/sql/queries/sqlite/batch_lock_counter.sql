-- BEGIN IMMEDIATE already holds SQLite's single write lock.
SELECT value FROM id_counters WHERE name = 'message'
