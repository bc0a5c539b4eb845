-- An instance is alive. ARGV: instance id, seconds to live, its summary
-- (JSON, for the console's instance list; empty while the instance starts
-- and does not serve yet: alive for presence, not listed).
-- Returns 1 when the instance was unknown (new, or reaped while it stalled):
-- it must then announce its connected users again.
local inst, ttl = ARGV[1], tonumber(ARGV[2])
redis.call('SET', 'sanayicin:instance:' .. inst, ARGV[3] or '', 'EX', ttl)
return redis.call('SADD', 'sanayicin:instances', inst)
