-- One queue's numbers for /metrics and the admin listing. ARGV: queue.
-- Returns {waiting (ready or delayed), pending (claimed, not acknowledged),
-- oldest age ms (how long the job due longest has been due: the oldest
-- entry on the stream, waiting or held, or due delayed job),
-- dead letters, done, retried, dead (totals)}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local p = 'sanayicin:jobs:' .. ARGV[1]
local s = p .. ':stream'
local len, pending, oldest = 0, 0, 0
if redis.call('EXISTS', s) == 1 then
    len = redis.call('XLEN', s)
    pending = redis.call('XPENDING', s, 'workers')[1]
    local first = redis.call('XRANGE', s, '-', '+', 'COUNT', 1)
    if #first > 0 then
        oldest = now - tonumber(string.match(first[1][1], '^(%d+)'))
    end
end
local due = redis.call('ZRANGEBYSCORE', p .. ':delayed', '-inf', now, 'WITHSCORES', 'LIMIT', 0, 1)
if #due > 0 then
    oldest = math.max(oldest, now - tonumber(due[2]))
end
local totals = redis.call('HMGET', p .. ':outcomes', 'done', 'retried', 'dead')
return {len - pending + redis.call('ZCARD', p .. ':delayed'), pending, math.max(0, oldest),
        redis.call('XLEN', p .. ':dead'), tonumber(totals[1] or 0), tonumber(totals[2] or 0),
        tonumber(totals[3] or 0)}
