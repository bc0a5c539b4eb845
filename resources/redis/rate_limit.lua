-- Token buckets shared by every instance. ARGV: triples of key, tokens per
-- second, burst; one call serves many requests (the bridge batches them).
-- Returns {allowed, retry_ms, allowed, retry_ms, ...}: allowed is 1 or 0,
-- retry_ms the milliseconds until a token is back. Redis' own clock is the
-- time source, so the instances' clocks do not matter.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local out = {}
for i = 1, #ARGV, 3 do
    local key = 'sanayicin:rl:' .. ARGV[i]
    local rate, burst = tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2])
    local state = redis.call('HMGET', key, 'tokens', 'ts')
    local tokens = tonumber(state[1]) or burst
    local ts = tonumber(state[2]) or now
    tokens = math.min(burst, tokens + math.max(0, now - ts) / 1000 * rate)
    local allowed, retry = 0, 0
    if tokens >= 1 then
        tokens = tokens - 1
        allowed = 1
    else
        retry = math.ceil((1 - tokens) / rate * 1000)
    end
    redis.call('HSET', key, 'tokens', tostring(tokens), 'ts', tostring(now))
    redis.call('PEXPIRE', key, math.ceil(burst / rate * 1000) + 1000)
    out[#out + 1] = allowed
    out[#out + 1] = retry
end
return out
