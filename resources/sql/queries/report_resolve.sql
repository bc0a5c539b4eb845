-- Resolves an open report; no row changes when it was resolved already
-- (two moderators at once: one wins, the other gets 409).
UPDATE reports SET resolved_at = $2, resolved_by = $3, resolution = $4, note = $5
WHERE id = $1 AND resolved_at IS NULL
