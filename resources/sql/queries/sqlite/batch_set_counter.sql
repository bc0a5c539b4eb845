UPDATE id_counters SET value = $1 WHERE name = 'message'
