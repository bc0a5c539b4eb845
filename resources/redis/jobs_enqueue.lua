-- Puts one job on a queue (server/jobs/redis_job_queue.h says the keys).
-- ARGV: queue, type, payload, dedupe key ('' for none), not-before (epoch
-- ms, 0: at once), dedupe ttl ms, and for the scheduler's fenced enqueue:
-- lease name ('' for none), lease holder, schedule name, slot.
-- Returns the job's id, '' for a duplicate of a waiting job, or 'fenced'
-- when the caller no longer holds the lease or the slot was done already.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local p = 'sanayicin:jobs:' .. ARGV[1]
local dedupe = ARGV[4]
local lease = ARGV[7] or ''
if lease ~= '' then
    -- The fencing check: only the holder of the lease enqueues, once a slot.
    if redis.call('GET', 'sanayicin:lease:' .. lease) ~= ARGV[8] then
        return 'fenced'
    end
    local slotKey = 'sanayicin:schedule:' .. ARGV[9]
    local last = tonumber(redis.call('GET', slotKey) or '-1')
    if last >= tonumber(ARGV[10]) then
        return 'fenced'
    end
    redis.call('SET', slotKey, ARGV[10])
end
if dedupe ~= '' then
    if not redis.call('SET', p .. ':dedupe:' .. dedupe, '?', 'NX', 'PX', ARGV[6]) then
        return ''
    end
end
local jid = tostring(redis.call('INCR', p .. ':seq'))
if dedupe ~= '' then
    redis.call('SET', p .. ':dedupe:' .. dedupe, jid, 'KEEPTTL')
end
redis.call('HSET', p .. ':job:' .. jid, 'type', ARGV[2], 'payload', ARGV[3], 'attempt', 0,
           'enq', now, 'dedupe', dedupe)
redis.call('SADD', 'sanayicin:jobs:queues', ARGV[1])
local s = p .. ':stream'
if redis.call('EXISTS', s) == 0 then
    redis.call('XGROUP', 'CREATE', s, 'workers', '0', 'MKSTREAM')
end
if tonumber(ARGV[5]) > now then
    redis.call('ZADD', p .. ':delayed', ARGV[5], jid)
else
    redis.call('XADD', s, '*', 'jid', jid)
end
return jid
