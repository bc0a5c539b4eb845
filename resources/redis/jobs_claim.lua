-- Gives a worker up to `count` jobs of one queue: first the delayed ones
-- that are due go back on the stream, then entries whose consumer has held
-- them longer than the visibility timeout (a dead worker) are claimed
-- (XAUTOCLAIM), then new entries are read (XREADGROUP). Each claim counts an
-- attempt; a job over its attempts (a worker dies on it again and again)
-- goes to the dead letters instead. The first run ends the dedupe window.
-- ARGV: queue, consumer, count, visibility ms, max attempts.
-- Returns {entry id, job id, type, payload, attempt, enqueued ms, ...}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local p = 'sanayicin:jobs:' .. ARGV[1]
local s = p .. ':stream'
local consumer, count, maxAttempts = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[5])
if redis.call('EXISTS', s) == 0 then
    redis.call('XGROUP', 'CREATE', s, 'workers', '0', 'MKSTREAM')
end
local due = redis.call('ZRANGEBYSCORE', p .. ':delayed', '-inf', now, 'LIMIT', 0, 100)
for _, jid in ipairs(due) do
    redis.call('ZREM', p .. ':delayed', jid)
    redis.call('XADD', s, '*', 'jid', jid)
end
local entries = {}
local stuck = redis.call('XAUTOCLAIM', s, 'workers', consumer, ARGV[4], '0-0', 'COUNT', count)
for _, e in ipairs(stuck[2]) do
    if e and e[2] then entries[#entries + 1] = e end
end
if #entries < count then
    local fresh = redis.call('XREADGROUP', 'GROUP', 'workers', consumer, 'COUNT',
                             count - #entries, 'STREAMS', s, '>')
    if fresh then
        for _, e in ipairs(fresh[1][2]) do entries[#entries + 1] = e end
    end
end
local out = {}
for _, e in ipairs(entries) do
    local id, jid = e[1], e[2][2]
    local key = p .. ':job:' .. jid
    if redis.call('EXISTS', key) == 0 then
        -- Dropped meanwhile: nothing to run.
        redis.call('XACK', s, 'workers', id)
        redis.call('XDEL', s, id)
    else
        local attempt = redis.call('HINCRBY', key, 'attempt', 1)
        local job = redis.call('HMGET', key, 'type', 'payload', 'enq', 'dedupe')
        if job[4] and job[4] ~= '' then
            local dk = p .. ':dedupe:' .. job[4]
            if redis.call('GET', dk) == jid then redis.call('DEL', dk) end
            redis.call('HSET', key, 'dedupe', '')
        end
        if attempt > maxAttempts then
            redis.call('XACK', s, 'workers', id)
            redis.call('XDEL', s, id)
            local why = 'its worker was lost ' .. (attempt - 1) .. ' times'
            redis.call('HSET', key, 'error', why, 'attempt', attempt - 1)
            redis.call('XADD', p .. ':dead', '*', 'jid', jid, 'error', why, 'at', now)
            redis.call('HINCRBY', p .. ':outcomes', 'dead', 1)
        else
            for _, v in ipairs({id, jid, job[1], job[2], attempt, job[3]}) do
                out[#out + 1] = v
            end
        end
    end
end
return out
