-- $1: 'open', 'resolved' or 'all'.
SELECT count(*) FROM reports r
WHERE $1 = 'all' OR ($1 = 'open' AND r.resolved_at IS NULL)
   OR ($1 = 'resolved' AND r.resolved_at IS NOT NULL)
