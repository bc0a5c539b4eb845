-- Takes the users of instances whose heartbeat expired offline.
-- Returns a flat list {user, version, user, version, ...} of users who are
-- now offline everywhere.
local out = {}
for _, inst in ipairs(redis.call('SMEMBERS', 'sanayicin:instances')) do
    if redis.call('EXISTS', 'sanayicin:instance:' .. inst) == 0 then
        for _, user in ipairs(redis.call('SMEMBERS', 'sanayicin:online:' .. inst)) do
            redis.call('SREM', 'sanayicin:presence:' .. user, inst)
            if redis.call('SCARD', 'sanayicin:presence:' .. user) == 0 then
                redis.call('SREM', 'sanayicin:online_all', user)
                out[#out + 1] = user
                out[#out + 1] = redis.call('INCR', 'sanayicin:pv:' .. user)
            end
        end
        redis.call('DEL', 'sanayicin:online:' .. inst)
        redis.call('SREM', 'sanayicin:instances', inst)
    end
end
return out
