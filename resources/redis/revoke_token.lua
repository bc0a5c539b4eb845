-- Logout. ARGV: token hash.
redis.call('INCR', 'sanayicin:revocation_epoch')
redis.call('SET', 'sanayicin:revoked:' .. ARGV[1], '1', 'EX', 3600)
redis.call('DEL', 'sanayicin:session:' .. ARGV[1])
return 1
