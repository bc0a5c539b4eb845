-- A user's last connection on an instance closed. ARGV: user id, instance id.
-- Returns {1, version} when the user is now offline everywhere, else {0, 0}.
local user, inst = ARGV[1], ARGV[2]
redis.call('SREM', 'sanayicin:online:' .. inst, user)
local removed = redis.call('SREM', 'sanayicin:presence:' .. user, inst)
if removed == 1 and redis.call('SCARD', 'sanayicin:presence:' .. user) == 0 then
    redis.call('SREM', 'sanayicin:online_all', user)
    return {1, redis.call('INCR', 'sanayicin:pv:' .. user)}
end
return {0, 0}
