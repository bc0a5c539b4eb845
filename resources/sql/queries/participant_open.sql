-- Participant $2 asks for conversation $1: they open it now (once).
UPDATE participants SET opened_at = $3
WHERE conversation_id = $1 AND user_id = $2 AND opened_at IS NULL
