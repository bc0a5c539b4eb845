SELECT count(*) FROM participants WHERE user_id = $1
