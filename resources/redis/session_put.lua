-- Caches a session read from the database. ARGV: token hash, user id, data,
-- seconds to live, the epoch session_get.lua returned before the read.
-- Refused when the token or the user was revoked since: a stale answer
-- never comes back.
local hash, user, data, ttl, epoch = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
if redis.call('EXISTS', 'sanayicin:revoked:' .. hash) == 1 then
    return 0
end
local revokedAt = tonumber(redis.call('GET', 'sanayicin:revoked_user:' .. user) or '-1')
if revokedAt > epoch then
    return 0
end
redis.call('SET', 'sanayicin:session:' .. hash, data, 'EX', ttl)
redis.call('SADD', 'sanayicin:user_sessions:' .. user, hash)
redis.call('EXPIRE', 'sanayicin:user_sessions:' .. user, ttl)
return 1
