-- The scheduler's lease: taken when free or expired, renewed by its holder,
-- given up by its holder. ARGV: name, holder, ttl ms, 'hold' | 'give'.
-- Returns 1 when `holder` has the lease afterwards, else 0.
local key = 'sanayicin:lease:' .. ARGV[1]
local cur = redis.call('GET', key)
if ARGV[4] == 'give' then
    if cur == ARGV[2] then redis.call('DEL', key) end
    return 0
end
if cur == false or cur == ARGV[2] then
    redis.call('SET', key, ARGV[2], 'PX', ARGV[3])
    return 1
end
return 0
