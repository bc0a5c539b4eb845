SELECT outcome, total FROM job_outcomes WHERE queue = $1
