-- An instance is alive. ARGV: instance id, seconds to live.
-- Returns 1 when the instance was unknown (new, or reaped while it stalled):
-- it must then announce its connected users again.
local inst, ttl = ARGV[1], tonumber(ARGV[2])
redis.call('SET', 'sanayicin:instance:' .. inst, '1', 'EX', ttl)
return redis.call('SADD', 'sanayicin:instances', inst)
