-- A ban also outdates every session of the user (migration 0006).
UPDATE users
SET banned_at = $2, ban_reason = $3, session_generation = session_generation + 1
WHERE id = $1
