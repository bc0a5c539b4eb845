-- A message of the conversation changed (deleted): drop its list, and move
-- the generation so that fills already under way are refused.
redis.call('INCR', 'sanayicin:recent_gen:' .. ARGV[1])
redis.call('EXPIRE', 'sanayicin:recent_gen:' .. ARGV[1], 86400)
redis.call('DEL', 'sanayicin:recent:' .. ARGV[1])
return 1
