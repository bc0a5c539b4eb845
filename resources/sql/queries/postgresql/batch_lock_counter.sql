-- Held until commit: serialises message writers so ids follow commit order.
SELECT value FROM id_counters WHERE name = 'message' FOR UPDATE
