-- A moderator's delete also removes the text from storage.
UPDATE messages SET deleted_at = $2, body = '' WHERE id = $1 AND deleted_at IS NULL
