INSERT INTO job_outcomes (queue, outcome, total) VALUES ($1, $2, 1)
ON CONFLICT (queue, outcome) DO UPDATE SET total = job_outcomes.total + 1
