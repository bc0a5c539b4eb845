-- The dead letters of one queue: list them, or retry or drop one.
-- ARGV: queue, 'list', count | 'retry', dead entry id | 'drop', dead entry id.
-- list returns {dead id, job id, type, attempts, error, died at ms, ...};
-- retry and drop return 1, or 0 when there is no such dead letter. A retried
-- job starts again with all its attempts.
local p = 'sanayicin:jobs:' .. ARGV[1]
local d = p .. ':dead'
if ARGV[2] == 'list' then
    local out = {}
    for _, e in ipairs(redis.call('XRANGE', d, '-', '+', 'COUNT', tonumber(ARGV[3]))) do
        local f = {}
        for i = 1, #e[2], 2 do f[e[2][i]] = e[2][i + 1] end
        local job = redis.call('HMGET', p .. ':job:' .. f.jid, 'type', 'attempt')
        for _, v in ipairs({e[1], f.jid, job[1] or '', tonumber(job[2] or 0), f.error or '',
                            tonumber(f.at or 0)}) do
            out[#out + 1] = v
        end
    end
    return out
end
local found = redis.call('XRANGE', d, ARGV[3], ARGV[3])
if #found == 0 then
    return 0
end
redis.call('XDEL', d, ARGV[3])
local jid = found[1][2][2]
local key = p .. ':job:' .. jid
if ARGV[2] == 'retry' and redis.call('EXISTS', key) == 1 then
    redis.call('HSET', key, 'attempt', 0, 'error', '')
    local s = p .. ':stream'
    if redis.call('EXISTS', s) == 0 then
        redis.call('XGROUP', 'CREATE', s, 'workers', '0', 'MKSTREAM')
    end
    redis.call('XADD', s, '*', 'jid', jid)
else
    redis.call('DEL', key)
end
return 1
