-- Ban: every cached session of the user goes. ARGV: user id.
local user = ARGV[1]
local epoch = redis.call('INCR', 'sanayicin:revocation_epoch')
redis.call('SET', 'sanayicin:revoked_user:' .. user, epoch, 'EX', 3600)
for _, hash in ipairs(redis.call('SMEMBERS', 'sanayicin:user_sessions:' .. user)) do
    redis.call('DEL', 'sanayicin:session:' .. hash)
end
redis.call('DEL', 'sanayicin:user_sessions:' .. user)
return 1
