INSERT INTO job_schedule (name, last_slot) VALUES ($1, $2)
ON CONFLICT (name) DO UPDATE SET last_slot = excluded.last_slot
WHERE job_schedule.last_slot < excluded.last_slot
RETURNING last_slot
