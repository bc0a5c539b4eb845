SELECT value FROM id_counters WHERE name = 'message'
