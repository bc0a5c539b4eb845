-- A worker's answer for one job it holds: done (acknowledged, removed),
-- retry (back after an exponential backoff, or dead once its attempts are
-- spent) or fail (straight to the dead letters). A worker that no longer
-- holds the entry (another claimed it) changes nothing: returns 0.
-- ARGV: queue, consumer, entry id, job id, outcome (done|retry|fail),
-- error, max attempts, base backoff ms, largest backoff ms.
-- Returns 1 done, 2 retried, 3 dead, 0 not held.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local p = 'sanayicin:jobs:' .. ARGV[1]
local s = p .. ':stream'
local entry, jid, outcome, err = ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local held = redis.call('XPENDING', s, 'workers', entry, entry, 1)
if #held == 0 or held[1][2] ~= ARGV[2] then
    return 0
end
redis.call('XACK', s, 'workers', entry)
redis.call('XDEL', s, entry)
local key = p .. ':job:' .. jid
if outcome == 'done' then
    redis.call('DEL', key)
    redis.call('HINCRBY', p .. ':outcomes', 'done', 1)
    return 1
end
local attempt = tonumber(redis.call('HGET', key, 'attempt') or '1')
redis.call('HSET', key, 'error', err)
if outcome == 'retry' and attempt < tonumber(ARGV[7]) then
    local delay = math.min(tonumber(ARGV[9]), tonumber(ARGV[8]) * 2 ^ (attempt - 1))
    redis.call('ZADD', p .. ':delayed', now + math.floor(delay), jid)
    redis.call('HINCRBY', p .. ':outcomes', 'retried', 1)
    return 2
end
redis.call('XADD', p .. ':dead', '*', 'jid', jid, 'error', err, 'at', now)
redis.call('HINCRBY', p .. ':outcomes', 'dead', 1)
return 3
