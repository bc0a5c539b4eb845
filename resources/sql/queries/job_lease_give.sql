DELETE FROM job_leases WHERE name = $1 AND holder = $2
