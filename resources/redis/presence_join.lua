-- A user's first connection on an instance. ARGV: user id, instance id.
-- Returns {1, version} when the user was offline everywhere before, else {0, 0}.
local user, inst = ARGV[1], ARGV[2]
redis.call('SADD', 'sanayicin:online:' .. inst, user)
local added = redis.call('SADD', 'sanayicin:presence:' .. user, inst)
if added == 1 and redis.call('SCARD', 'sanayicin:presence:' .. user) == 1 then
    redis.call('SADD', 'sanayicin:online_all', user)
    return {1, redis.call('INCR', 'sanayicin:pv:' .. user)}
end
return {0, 0}
