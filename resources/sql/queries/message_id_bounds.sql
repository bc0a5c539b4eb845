SELECT MIN(id), MAX(id) FROM messages
