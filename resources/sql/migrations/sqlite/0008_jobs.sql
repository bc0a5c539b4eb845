-- The embedded job queue (issue 11; without Redis), the scheduler's lease
-- and slots, and the daily statistics the maintenance jobs roll up.
-- A job row lives from enqueue to done (deleted) or dead (kept, state
-- 'dead'); a worker holds it while lease_until > now.
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    queue TEXT NOT NULL,
    type TEXT NOT NULL,
    payload TEXT NOT NULL,
    dedupe_key TEXT,
    state TEXT NOT NULL DEFAULT 'ready' CHECK (state IN ('ready', 'dead')),
    attempt INTEGER NOT NULL DEFAULT 0,
    run_at BIGINT NOT NULL,
    lease_owner TEXT,
    lease_until BIGINT NOT NULL DEFAULT 0,
    enqueued_at BIGINT NOT NULL,
    error TEXT NOT NULL DEFAULT '',
    dead_at BIGINT
);
-- A dedupe key is held from enqueue until the job first runs.
CREATE UNIQUE INDEX jobs_dedupe ON jobs (queue, dedupe_key) WHERE dedupe_key IS NOT NULL;
CREATE INDEX jobs_due ON jobs (queue, run_at, id) WHERE state = 'ready';
CREATE INDEX jobs_dead ON jobs (queue, id) WHERE state = 'dead';

CREATE TABLE job_outcomes (
    queue TEXT NOT NULL,
    outcome TEXT NOT NULL,
    total BIGINT NOT NULL,
    PRIMARY KEY (queue, outcome)
);

CREATE TABLE job_leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE job_schedule (
    name TEXT PRIMARY KEY,
    last_slot BIGINT NOT NULL
);

-- One row per UTC day (day: epoch ms of its midnight).
CREATE TABLE daily_stats (
    day BIGINT PRIMARY KEY,
    messages BIGINT NOT NULL,
    active_users BIGINT NOT NULL,
    conversations BIGINT NOT NULL,
    computed_at BIGINT NOT NULL
);
