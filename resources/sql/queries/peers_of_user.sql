SELECT peer_id FROM participants WHERE user_id = $1
