SELECT holder FROM job_leases WHERE name = $1 AND holder = $2 AND expires_at > $3
